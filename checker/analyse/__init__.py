"""The analysis stages, in the order they run: clean → lines (classify) → parse → meta →
outline (with genre) → problems, indicators. Stages import shared vocabulary (text, regex,
lexicon, models, termlists) and one another, never a rule kind (checks/) or config."""
