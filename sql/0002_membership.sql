-- Hospitals, alliances, admission criteria, memberships and applications (SPEC §2).

CREATE TABLE hospitals (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
    name        text NOT NULL CHECK (name <> ''),
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
    grade       text NOT NULL DEFAULT 'unrated' CHECK (grade IN ('A', 'B', 'C', 'unrated')),
    kind        text NOT NULL DEFAULT 'general'
                CHECK (kind IN ('general', 'specialty', 'tcm', 'community', 'township', 'other')),
    district    text,
    beds        integer CHECK (beds >= 0),
    departments text[] NOT NULL DEFAULT '{}',
    facts       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(facts) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hospitals_level ON hospitals (level, code);
CREATE INDEX hospitals_district ON hospitals (district, code);
CREATE INDEX hospitals_departments ON hospitals USING gin (departments);

CREATE TABLE alliances (
    code             text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
    name             text NOT NULL CHECK (name <> ''),
    specialty        text NOT NULL REFERENCES specialties (code),
    core             text NOT NULL REFERENCES hospitals (code),
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
    emergency_hours  integer NOT NULL DEFAULT 2 CHECK (emergency_hours > 0),
    urgent_hours     integer NOT NULL DEFAULT 24 CHECK (urgent_hours > 0),
    routine_hours    integer NOT NULL DEFAULT 72 CHECK (routine_hours > 0),
    criteria_version integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Every version of an alliance's criteria stays readable.
CREATE TABLE criteria_versions (
    alliance   text NOT NULL REFERENCES alliances (code),
    version    integer NOT NULL CHECK (version > 0),
    document   jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (alliance, version)
);

CREATE TABLE memberships (
    alliance   text NOT NULL REFERENCES alliances (code),
    hospital   text NOT NULL REFERENCES hospitals (code),
    role       text NOT NULL CHECK (role IN ('core', 'collaborating', 'cooperating', 'primary')),
    status     text NOT NULL CHECK (status IN ('active', 'suspended', 'withdrawn', 'revoked')),
    since      timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (alliance, hospital)
);
CREATE UNIQUE INDEX memberships_one_core ON memberships (alliance) WHERE role = 'core';
CREATE INDEX memberships_hospital ON memberships (hospital);

CREATE SEQUENCE application_numbers;

CREATE TABLE applications (
    id               text PRIMARY KEY,
    alliance         text NOT NULL REFERENCES alliances (code),
    hospital         text NOT NULL REFERENCES hospitals (code),
    role             text NOT NULL CHECK (role IN ('core', 'collaborating', 'cooperating', 'primary')),
    status           text NOT NULL
                     CHECK (status IN ('submitted', 'approved', 'rejected', 'info_requested', 'withdrawn')),
    facts            jsonb NOT NULL,
    criteria_version integer NOT NULL,
    evaluation       jsonb NOT NULL,
    decision_reason  text,
    override         text,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
-- At most one open application per hospital and alliance.
CREATE UNIQUE INDEX applications_one_open ON applications (alliance, hospital)
    WHERE status IN ('submitted', 'info_requested');
CREATE INDEX applications_alliance ON applications (alliance, status, id);

-- Everything that happens to an application or a membership, in order. Append-only.
CREATE TABLE membership_events (
    seq         bigserial PRIMARY KEY,
    alliance    text NOT NULL,
    hospital    text NOT NULL,
    application text REFERENCES applications (id),
    action      text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    actor       text NOT NULL,
    at          timestamptz NOT NULL,
    reason      text,
    details     jsonb
);
CREATE INDEX membership_events_member ON membership_events (alliance, hospital, seq);
CREATE INDEX membership_events_application ON membership_events (application, seq);

CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER membership_events_append_only BEFORE UPDATE OR DELETE ON membership_events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
CREATE TRIGGER membership_events_no_truncate BEFORE TRUNCATE ON membership_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();
