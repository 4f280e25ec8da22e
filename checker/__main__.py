from .start import main

# guarded: a worker started from a forkserver (checker/serve/pool.py) imports the main module
if __name__ == "__main__":
    main()
