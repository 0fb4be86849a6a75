-- Schema version 7: full-text search matches word forms ("drones" finds "drone"): English
-- Snowball stems without its stop-word list (so that "US" is still a word), over the same
-- folded words. Stored vectors are re-stemmed from their own lexemes.
CREATE TEXT SEARCH DICTIONARY bilateral_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION bilateral (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION bilateral
  ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH bilateral_stem;
UPDATE sentences SET tsv = to_tsvector('bilateral', array_to_string(tsvector_to_array(tsv), ' '));
