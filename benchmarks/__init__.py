"""`make bench`: speed and scale measurements (see run.py). Not tests: nothing here asserts."""
