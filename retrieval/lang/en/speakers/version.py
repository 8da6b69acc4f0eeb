"""The version of the speaker analysis's results (kept apart from analyzer.py, which is at its size limit)."""

from __future__ import annotations

# The version of the analysis's results: an index keeps the speakers and mentions it computed, so one built
# with another version is re-analysed (index/manifest.py). 1: rule-based speakers; 2: narration is not
# speech (a reporting verb carries its subject's words only with a complement of content, content.py);
# 3: organisations speak where no person does (organisations.py; the people map marks them); 4: surnames that
# are place or month words after a given name ("Theresa May", "Liam Fox"), hyphenated titles ("co-chairman"),
# and "a spokesman" never taken for a spokesman named before; with version 4 the segmenter also stopped cutting
# sentences after an abbreviation followed by a comma ("Sen. Tim Kaine, D-Va., said"), which a rebuild applies;
# 5: parties are affiliations ("Lib Dem home affairs spokesman", "Labour's Alan Milburn"), titles after a name
# ("Mitch McConnell, the majority leader,"), a title no one holds for the person just spoken of, no Census genders;
# 6: "said X's spokesman Y" is Y's, "according to his lawyer Y", "MP for <seat> Y", institutions with "and";
# 7: an office's brief ("the Minister for Europe said"), firms joined by "&", occupations, roles, ages, days and
# letters after names ("Actor X", "X QC"), police ranks, "al-Assad"; news date cues; 8: "X from the <description>
# said", an acronym is the organisation it abbreviates ("TfL"), ", who" after a name, a colon brings the words of
# the person opening the sentence ("X opposed Y's statement: “…”", "X reacted on Twitter, “…”"), "<title> of
# <place> <name>" names no place, a name after "the" without a title is no person's ("the Valley Herald"), a surname
# two people share is the one who spoke or acted before one named in passing, "“…,” he said" after "X, a
# spokesperson, indicated …:" is X's, "were said to be" is nobody's, a place word that is the surname of someone
# named in full is them as a subject ("Bloomberg endorsed"), "Businessman X" is X; 9: phrasal verbs of saying
# ("pointed out that", "weighed in", "spelled out"); 10: more given names of known gender (for he/she), and "The
# head of X told ..." with no name is someone new for the pronouns after it.
ANALYSIS_VERSION = 10
