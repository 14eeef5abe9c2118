-- How many listed professionals (public AND approved) each city of a vertical has, kept by
-- triggers in the same transaction as every write to `professionnels`, so that the home
-- page's count and cities and the cities suggested when a search finds nobody read a few
-- dozen rows instead of the whole vertical.
-- Never edit this file once applied: add a new migration.

CREATE TABLE villes_listees (
    vertical  TEXT NOT NULL,
    ville     TEXT NOT NULL,
    nombre    INTEGER NOT NULL CHECK (nombre > 0),
    PRIMARY KEY (vertical, ville)
) STRICT, WITHOUT ROWID;

CREATE INDEX villes_listees_par_nombre ON villes_listees (vertical, nombre DESC, ville);

INSERT INTO villes_listees (vertical, ville, nombre)
    SELECT vertical, ville, count(*) FROM professionnels
    WHERE public = 1 AND approbation = 'approuve' GROUP BY vertical, ville;

CREATE TRIGGER villes_listees_pro_cree AFTER INSERT ON professionnels
WHEN NEW.public = 1 AND NEW.approbation = 'approuve'
BEGIN
    INSERT INTO villes_listees (vertical, ville, nombre) VALUES (NEW.vertical, NEW.ville, 1)
        ON CONFLICT (vertical, ville) DO UPDATE SET nombre = nombre + 1;
END;

CREATE TRIGGER villes_listees_pro_supprime AFTER DELETE ON professionnels
WHEN OLD.public = 1 AND OLD.approbation = 'approuve'
BEGIN
    DELETE FROM villes_listees WHERE vertical = OLD.vertical AND ville = OLD.ville AND nombre = 1;
    UPDATE villes_listees SET nombre = nombre - 1 WHERE vertical = OLD.vertical AND ville = OLD.ville;
END;

CREATE TRIGGER villes_listees_pro_modifie
AFTER UPDATE OF vertical, ville, public, approbation ON professionnels
WHEN (OLD.public = 1 AND OLD.approbation = 'approuve')
  OR (NEW.public = 1 AND NEW.approbation = 'approuve')
BEGIN
    DELETE FROM villes_listees WHERE OLD.public = 1 AND OLD.approbation = 'approuve'
        AND vertical = OLD.vertical AND ville = OLD.ville AND nombre = 1;
    UPDATE villes_listees SET nombre = nombre - 1 WHERE OLD.public = 1 AND OLD.approbation = 'approuve'
        AND vertical = OLD.vertical AND ville = OLD.ville;
    INSERT INTO villes_listees (vertical, ville, nombre)
        SELECT NEW.vertical, NEW.ville, 1 WHERE NEW.public = 1 AND NEW.approbation = 'approuve'
        ON CONFLICT (vertical, ville) DO UPDATE SET nombre = nombre + 1;
END;
