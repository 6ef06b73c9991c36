-- Consultations (会诊, SPEC §7): a member asks a higher-tier member for an opinion without
-- transferring the patient. Seen only by its two hospitals; changed only by a move of the
-- core's machine its side may make (its moves as data, written from the core's table; a test
-- holds the two equal); events append-only.

CREATE SEQUENCE consultation_numbers;

CREATE TABLE consultations (
    id                text PRIMARY KEY,
    alliance          text NOT NULL REFERENCES alliances (code),
    specialty         text NOT NULL REFERENCES specialties (code),
    from_hospital     text NOT NULL REFERENCES hospitals (code),
    to_hospital       text NOT NULL REFERENCES hospitals (code) CHECK (to_hospital <> from_hospital),
    mode              text NOT NULL CHECK (mode IN ('advice', 'remote', 'mdt')),
    priority          text NOT NULL CHECK (priority IN ('routine', 'urgent', 'emergency')),
    patient           jsonb NOT NULL,
    consent           boolean NOT NULL CHECK (consent),
    diagnosis         jsonb NOT NULL,
    question          text NOT NULL,
    attachments       jsonb NOT NULL DEFAULT '[]',
    referral          text REFERENCES referrals (id),
    scheduled_at      timestamptz,
    opinions          jsonb NOT NULL DEFAULT '[]',
    conclusion        text,
    converted_to      text REFERENCES referrals (id),
    decline_code      text,
    status            text NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'scheduled', 'answered', 'closed',
                          'cancelled', 'expired')),
    version           integer NOT NULL DEFAULT 1,
    respond_by        timestamptz NOT NULL,
    first_response_at timestamptz,
    answered_at       timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX consultations_to ON consultations (to_hospital, status, respond_by);
CREATE INDEX consultations_from ON consultations (from_hospital, status, id);
CREATE INDEX consultations_alliance ON consultations (alliance, created_at);
CREATE INDEX consultations_open ON consultations (created_at) WHERE status IN ('requested', 'accepted');

-- A referral filed by converting a consultation names it (linked both ways with converted_to).
ALTER TABLE referrals ADD COLUMN consultation text REFERENCES consultations (id);

CREATE TABLE consultation_events (
    consultation text NOT NULL REFERENCES consultations (id),
    seq          integer NOT NULL,
    action       text NOT NULL,
    from_status  text,
    to_status    text NOT NULL,
    actor        text NOT NULL,
    at           timestamptz NOT NULL,
    reason       text,
    details      jsonb,
    PRIMARY KEY (consultation, seq)
);
CREATE TRIGGER consultation_events_append_only BEFORE UPDATE OR DELETE ON consultation_events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
CREATE TRIGGER consultation_events_no_truncate BEFORE TRUNCATE ON consultation_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();

CREATE TABLE consultation_moves (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    side        text NOT NULL CHECK (side IN ('requester', 'consultant', 'system')),
    PRIMARY KEY (from_status, to_status, side)
);
INSERT INTO consultation_moves (from_status, to_status, side) VALUES
    ('answered',  'closed',    'requester'),   -- acknowledge
    ('requested', 'cancelled', 'requester'),
    ('accepted',  'cancelled', 'requester'),
    ('scheduled', 'cancelled', 'requester'),
    ('answered',  'answered',  'requester'),   -- convert
    ('closed',    'closed',    'requester'),   -- convert
    ('requested', 'accepted',  'consultant'),
    ('requested', 'declined',  'consultant'),
    ('accepted',  'scheduled', 'consultant'),
    ('scheduled', 'scheduled', 'consultant'),  -- schedule again, opine
    ('accepted',  'accepted',  'consultant'),  -- opine (advice)
    ('accepted',  'answered',  'consultant'),  -- conclude (advice)
    ('scheduled', 'answered',  'consultant'),  -- conclude
    ('requested', 'expired',   'system'),
    ('accepted',  'expired',   'system');

-- A user's change of a consultation must be one move its side may make, one version on: a
-- coordinator's (hospital administrator's, integration's) any such move, a physician's only an
-- opinion (the consultant's move that keeps the status); the system's only past twice the
-- response window. The owner (no registered hospital) is not checked: RLS keeps everyone else out.
CREATE FUNCTION consultation_move_allowed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    me      text := yilian_hospital(current_user);
    my_side text;
BEGIN
    IF me IS NULL THEN
        RETURN NEW;
    END IF;
    my_side := CASE me WHEN OLD.from_hospital THEN 'requester' WHEN OLD.to_hospital THEN 'consultant' END;
    IF NEW.version = OLD.version + 1 AND NEW.to_hospital = OLD.to_hospital AND NEW.from_hospital = OLD.from_hospital
       AND (((yilian_handles_referrals()
              OR (yilian_duty(current_user) = 'physician' AND my_side = 'consultant' AND NEW.status = OLD.status))
             AND EXISTS (SELECT FROM consultation_moves m WHERE m.from_status = OLD.status AND m.to_status = NEW.status AND m.side = my_side))
            OR (EXISTS (SELECT FROM consultation_moves m WHERE m.from_status = OLD.status AND m.to_status = NEW.status AND m.side = 'system')
                AND OLD.respond_by + (OLD.respond_by - OLD.created_at) <= now())) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'this change of consultation % is not a move its % may make', OLD.id, coalesce(my_side, 'party')
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER consultations_move_allowed BEFORE UPDATE ON consultations FOR EACH ROW EXECUTE FUNCTION consultation_move_allowed();

GRANT SELECT ON consultation_moves TO yilian_user;
GRANT SELECT, INSERT ON consultations, consultation_events TO yilian_user;
GRANT UPDATE (status, version, scheduled_at, opinions, conclusion, converted_to, decline_code, first_response_at, answered_at, updated_at)
    ON consultations TO yilian_user;
GRANT USAGE ON SEQUENCE consultation_numbers TO yilian_user;

ALTER TABLE consultations ENABLE ROW LEVEL SECURITY;
CREATE POLICY parties_see ON consultations FOR SELECT
    USING ((SELECT yilian_hospital(current_user)) IN (from_hospital, to_hospital));
CREATE POLICY requester_asks ON consultations FOR INSERT
    WITH CHECK (from_hospital = (SELECT yilian_hospital(current_user)) AND status = 'requested' AND version = 1
                AND (SELECT yilian_handles_referrals()));
CREATE POLICY parties_act ON consultations FOR UPDATE
    USING ((SELECT yilian_hospital(current_user)) IN (from_hospital, to_hospital));

ALTER TABLE consultation_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY parties_see ON consultation_events FOR SELECT
    USING (EXISTS (SELECT FROM consultations c WHERE c.id = consultation));
CREATE POLICY parties_append ON consultation_events FOR INSERT
    WITH CHECK ((seq = 1 OR EXISTS (SELECT FROM consultations c WHERE c.id = consultation))
                AND (actor = current_user::text OR actor = 'system'
                     OR ((SELECT yilian_duty(current_user)) = 'integration'
                         AND split_part(actor, '@', 2) = (SELECT yilian_hospital(current_user)))));
