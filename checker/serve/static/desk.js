// The clerk's page (checker/render/templates/desk.html.j2): the drop zone, the filters, the jump
// between a finding and its marks. The page works without it (a plain form, plain anchors).
"use strict";
(function () {
  const form = document.getElementById("upload");
  const input = document.getElementById("file");
  const drop = document.getElementById("drop");
  const chosen = document.getElementById("chosen");

  // requestSubmit, not submit: it fires the submit event, which shows 「正在检查…」
  function send() { form.requestSubmit(); }
  if (form) {
    form.addEventListener("submit", function () {
      document.getElementById("working").hidden = false;
      document.getElementById("go").disabled = true;
    });
    input.addEventListener("change", function () {
      if (input.files.length) { chosen.textContent = input.files[0].name; send(); }
    });
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        chosen.textContent = input.files[0].name;
        send();
      }
    });
    // a file dropped beside the zone must not make the browser leave the page to show it
    window.addEventListener("dragover", function (e) { e.preventDefault(); });
    window.addEventListener("drop", function (e) { e.preventDefault(); });
  }

  // filters: by severity and by rule; a mark or note stays while one of its findings is shown
  const findings = Array.from(document.querySelectorAll("#findings .finding"));
  function shown() {
    const sevs = Array.from(document.querySelectorAll("[data-filter=severity]")).filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    const rule = (document.getElementById("rule-filter") || {}).value || "";
    const on = new Set();
    findings.forEach(function (li) {
      const ok = sevs.indexOf(li.dataset.sev) >= 0 && (!rule || li.dataset.rule === rule);
      li.hidden = !ok;
      if (ok) { on.add(li.id.slice(1)); }
    });
    return on;
  }
  function apply() {
    const on = shown();
    document.querySelectorAll(".m").forEach(function (m) {
      const any = m.dataset.f.split(" ").some(function (k) { return on.has(k); });
      m.classList.toggle("off", !any);
    });
    document.querySelectorAll(".note").forEach(function (n) { n.hidden = !on.has(n.dataset.f); });
    const none = document.getElementById("none-shown");
    if (none) { none.hidden = on.size > 0 || findings.length === 0; }
  }
  document.querySelectorAll("[data-filter]").forEach(function (c) { c.addEventListener("change", apply); });

  // the jump: a finding's place → its first mark; a mark or note → its finding; flash the target
  function flash(el) {
    if (!el) { return; }
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }
  document.addEventListener("click", function (e) {
    const a = e.target.closest("a[href^='#M']");
    if (a) {
      const k = a.getAttribute("href").slice(2);
      setTimeout(function () { document.querySelectorAll(".m").forEach(function (m) { if (m.dataset.f.split(" ").indexOf(k) >= 0) { flash(m); } }); }, 0);
      return;
    }
    const b = e.target.closest("a[href^='#F']");
    if (b) { setTimeout(function () { flash(document.getElementById(b.getAttribute("href").slice(1))); }, 0); }
  });
})();
