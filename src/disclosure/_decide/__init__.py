"""Stage 4, deciding: defeasibility, verdicts, decisions, evaluation of one situation and
bulk evaluation of many."""
