-- The directory sorted by the soonest next free slot with no window (`tri=disponibilite`
-- alone): those with one first, by their slot, then those without. The index of 0019
-- serves a window on the slot, not this order (its NULLs come first), so the sort read
-- every listed professional of the vertical (40,000 rows at 20,000 professionals); this
-- one holds the order as it is, so the first candidates are read in it, without a sort.
-- Never edit this file once applied: add a new migration.
CREATE INDEX professionnels_par_dispo ON professionnels
    (vertical, approbation, public, prochaine_dispo IS NULL, prochaine_dispo);
