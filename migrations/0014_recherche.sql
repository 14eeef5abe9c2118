-- Search at marketplace scale: a postcode per professional (its département derived by
-- the French rule), the départements' names (reference data), and an FTS5 index of the
-- listed professionals kept in sync by triggers, so every write that changes a listed
-- field — profile, services, publication, approval, deletion, demo seeding — updates the
-- index in the same transaction (the same D1 batch), whoever makes it.
-- Never edit this file once applied: add a new migration.

-- Five digits; NULL until the professional gives it (required to publish).
ALTER TABLE professionnels ADD COLUMN code_postal TEXT
    CHECK (code_postal IS NULL OR (length(code_postal) = 5 AND code_postal NOT GLOB '*[^0-9]*'));

-- The département of the postcode: its first two digits, except Corsica (20000–20199
-- Corse-du-Sud 2A, 20200–20999 Haute-Corse 2B) and overseas (97x, 98x: three digits).
ALTER TABLE professionnels ADD COLUMN departement TEXT GENERATED ALWAYS AS (
    CASE
        WHEN code_postal IS NULL THEN NULL
        WHEN code_postal GLOB '20*' THEN CASE WHEN code_postal < '20200' THEN '2A' ELSE '2B' END
        WHEN code_postal GLOB '9[78]*' THEN substr(code_postal, 1, 3)
        ELSE substr(code_postal, 1, 2)
    END) VIRTUAL;

-- Cities whose postcode is one for the whole city; elsewhere (Paris, Lyon, Marseille:
-- one per arrondissement) the professional gives it.
UPDATE professionnels SET code_postal = CASE ville
    WHEN 'Bordeaux' THEN '33000' WHEN 'Lille' THEN '59000' WHEN 'Nantes' THEN '44000'
    WHEN 'Rennes' THEN '35000' WHEN 'Toulouse' THEN '31000' WHEN 'Strasbourg' THEN '67000'
    END;

-- Number → name, to show "69 — Rhône" and to find "Rhône" or "Finistère".
CREATE TABLE departements (
    numero  TEXT PRIMARY KEY CHECK (length(numero) BETWEEN 2 AND 3),
    nom     TEXT NOT NULL CHECK (length(nom) BETWEEN 1 AND 40)
) STRICT, WITHOUT ROWID;
INSERT INTO departements (numero, nom) VALUES
    ('01', 'Ain'), ('02', 'Aisne'), ('03', 'Allier'), ('04', 'Alpes-de-Haute-Provence'),
    ('05', 'Hautes-Alpes'), ('06', 'Alpes-Maritimes'), ('07', 'Ardèche'), ('08', 'Ardennes'),
    ('09', 'Ariège'), ('10', 'Aube'), ('11', 'Aude'), ('12', 'Aveyron'),
    ('13', 'Bouches-du-Rhône'), ('14', 'Calvados'), ('15', 'Cantal'), ('16', 'Charente'),
    ('17', 'Charente-Maritime'), ('18', 'Cher'), ('19', 'Corrèze'), ('2A', 'Corse-du-Sud'),
    ('2B', 'Haute-Corse'), ('21', 'Côte-d''Or'), ('22', 'Côtes-d''Armor'), ('23', 'Creuse'),
    ('24', 'Dordogne'), ('25', 'Doubs'), ('26', 'Drôme'), ('27', 'Eure'),
    ('28', 'Eure-et-Loir'), ('29', 'Finistère'), ('30', 'Gard'), ('31', 'Haute-Garonne'),
    ('32', 'Gers'), ('33', 'Gironde'), ('34', 'Hérault'), ('35', 'Ille-et-Vilaine'),
    ('36', 'Indre'), ('37', 'Indre-et-Loire'), ('38', 'Isère'), ('39', 'Jura'),
    ('40', 'Landes'), ('41', 'Loir-et-Cher'), ('42', 'Loire'), ('43', 'Haute-Loire'),
    ('44', 'Loire-Atlantique'), ('45', 'Loiret'), ('46', 'Lot'), ('47', 'Lot-et-Garonne'),
    ('48', 'Lozère'), ('49', 'Maine-et-Loire'), ('50', 'Manche'), ('51', 'Marne'),
    ('52', 'Haute-Marne'), ('53', 'Mayenne'), ('54', 'Meurthe-et-Moselle'), ('55', 'Meuse'),
    ('56', 'Morbihan'), ('57', 'Moselle'), ('58', 'Nièvre'), ('59', 'Nord'),
    ('60', 'Oise'), ('61', 'Orne'), ('62', 'Pas-de-Calais'), ('63', 'Puy-de-Dôme'),
    ('64', 'Pyrénées-Atlantiques'), ('65', 'Hautes-Pyrénées'), ('66', 'Pyrénées-Orientales'),
    ('67', 'Bas-Rhin'), ('68', 'Haut-Rhin'), ('69', 'Rhône'), ('70', 'Haute-Saône'),
    ('71', 'Saône-et-Loire'), ('72', 'Sarthe'), ('73', 'Savoie'), ('74', 'Haute-Savoie'),
    ('75', 'Paris'), ('76', 'Seine-Maritime'), ('77', 'Seine-et-Marne'), ('78', 'Yvelines'),
    ('79', 'Deux-Sèvres'), ('80', 'Somme'), ('81', 'Tarn'), ('82', 'Tarn-et-Garonne'),
    ('83', 'Var'), ('84', 'Vaucluse'), ('85', 'Vendée'), ('86', 'Vienne'),
    ('87', 'Haute-Vienne'), ('88', 'Vosges'), ('89', 'Yonne'), ('90', 'Territoire de Belfort'),
    ('91', 'Essonne'), ('92', 'Hauts-de-Seine'), ('93', 'Seine-Saint-Denis'),
    ('94', 'Val-de-Marne'), ('95', 'Val-d''Oise'), ('971', 'Guadeloupe'),
    ('972', 'Martinique'), ('973', 'Guyane'), ('974', 'La Réunion'), ('976', 'Mayotte');

-- The index holds the listed professionals only (public AND approved), one row each,
-- its rowid the professional's id. Accents and case are folded; prefixes of 2 and 3
-- characters are indexed for the search-as-you-type of the last word. `lieu` holds the
-- postcode, the département's number and its name.
CREATE VIRTUAL TABLE recherche USING fts5(
    vertical, nom, bio, services, ville, region, lieu,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- What the index holds of a professional, when listed.
CREATE VIEW recherche_source AS
SELECT p.id, p.vertical, p.nom, p.bio,
       coalesce((SELECT group_concat(s.nom, ' · ') FROM services s
                 WHERE s.professionnel_id = p.id AND s.actif = 1), '') AS services,
       p.ville, p.region,
       coalesce(p.code_postal || ' ' || p.departement || ' ' || coalesce(d.nom, ''), '') AS lieu
FROM professionnels p LEFT JOIN departements d ON d.numero = p.departement
WHERE p.public = 1 AND p.approbation = 'approuve';

INSERT INTO recherche (rowid, vertical, nom, bio, services, ville, region, lieu)
    SELECT * FROM recherche_source;

CREATE TRIGGER recherche_pro_cree AFTER INSERT ON professionnels BEGIN
    INSERT INTO recherche (rowid, vertical, nom, bio, services, ville, region, lieu)
        SELECT * FROM recherche_source WHERE id = NEW.id;
END;
CREATE TRIGGER recherche_pro_modifie
AFTER UPDATE OF vertical, nom, bio, ville, region, code_postal, public, approbation ON professionnels
BEGIN
    DELETE FROM recherche WHERE rowid = OLD.id;
    INSERT INTO recherche (rowid, vertical, nom, bio, services, ville, region, lieu)
        SELECT * FROM recherche_source WHERE id = NEW.id;
END;
CREATE TRIGGER recherche_pro_supprime AFTER DELETE ON professionnels BEGIN
    DELETE FROM recherche WHERE rowid = OLD.id;
END;
CREATE TRIGGER recherche_service_cree AFTER INSERT ON services BEGIN
    DELETE FROM recherche WHERE rowid = NEW.professionnel_id;
    INSERT INTO recherche (rowid, vertical, nom, bio, services, ville, region, lieu)
        SELECT * FROM recherche_source WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER recherche_service_modifie AFTER UPDATE OF nom, actif ON services BEGIN
    DELETE FROM recherche WHERE rowid = NEW.professionnel_id;
    INSERT INTO recherche (rowid, vertical, nom, bio, services, ville, region, lieu)
        SELECT * FROM recherche_source WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER recherche_service_supprime AFTER DELETE ON services BEGIN
    DELETE FROM recherche WHERE rowid = OLD.professionnel_id;
    INSERT INTO recherche (rowid, vertical, nom, bio, services, ville, region, lieu)
        SELECT * FROM recherche_source WHERE id = OLD.professionnel_id;
END;

-- The directory without words (every listed professional, best rated or by name) reads
-- the first page from these instead of sorting the whole vertical.
CREATE INDEX professionnels_par_note ON professionnels
    (vertical, approbation, public, note_moyenne IS NULL, note_moyenne DESC, nombre_avis DESC, nom);
CREATE INDEX professionnels_par_nom ON professionnels (vertical, approbation, public, nom);
