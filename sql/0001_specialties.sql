-- The specialty catalog (SPEC §2): codes are stable identifiers, names are shown to people.
CREATE TABLE specialties (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,31}$'),
    name text NOT NULL,
    position integer NOT NULL UNIQUE
);

INSERT INTO specialties (code, name, position) VALUES
    ('pain',           '疼痛科',     1),
    ('pediatrics',     '儿科',       2),
    ('orthopedics',    '骨科',       3),
    ('obstetrics',     '妇产科',     4),
    ('cardiology',     '心血管内科', 5),
    ('trauma',         '创伤外科',   6),
    ('neurology',      '神经内科',   7),
    ('neurosurgery',   '神经外科',   8),
    ('oncology',       '肿瘤科',     9),
    ('respiratory',    '呼吸内科',   10),
    ('endocrinology',  '内分泌科',   11),
    ('rehabilitation', '康复医学科', 12),
    ('geriatrics',     '老年医学科', 13);
