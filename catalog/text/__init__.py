"""Text as runners write and say it: the one analyzer (numbers, synonyms, stemming) shared by
the index, the query, the highlighter and find-in-page, typo tolerance, and marking matches."""
