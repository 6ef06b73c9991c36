-- General practice (全科), what community health centres have (SPEC §2), first in the catalog.
INSERT INTO specialties (code, name, position) VALUES ('general', '全科', 0);
