-- Identity and access (SPEC §6). Users are PostgreSQL login roles named USER@HOSPITAL, members of
-- the group role yilian_user, which holds every privilege an application role has. The owner of
-- the tables (who runs migrations) acts as a registered user with SET ROLE, or as the platform
-- (yilian_platform) when nobody is named. Row-level security decides what each role sees.

-- Roles belong to the whole cluster: another database of it may have made them already.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yilian_user') THEN
        CREATE ROLE yilian_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'yilian_platform') THEN
        CREATE ROLE yilian_platform NOLOGIN IN ROLE yilian_user;
    END IF;
    IF NOT pg_has_role(current_user, 'yilian_platform', 'MEMBER') THEN
        EXECUTE format('GRANT yilian_platform TO %I', current_user);
    END IF;
END
$$;

-- Registered users. `password` holds a SCRAM verifier only until yilian_sync_login applies it.
CREATE TABLE users (
    login      text PRIMARY KEY,
    name       text NOT NULL CHECK (name ~ '^[a-z][a-z0-9._-]{0,31}$'),
    hospital   text NOT NULL,
    duty       text NOT NULL
               CHECK (duty IN ('coordinator', 'physician', 'hospital_admin', 'auditor', 'integration', 'platform_admin')),
    enabled    boolean NOT NULL DEFAULT true,
    password   text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (login = name || '@' || hospital),
    CHECK ((hospital = 'admin') = (duty = 'platform_admin'))
);

-- The hospital and duty of an enabled registered role (the platform's for yilian_platform), else
-- NULL. Policies call it as (SELECT yilian_hospital(current_user)), once per statement.
CREATE FUNCTION yilian_hospital(role name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT CASE WHEN role = 'yilian_platform' THEN 'admin'
           ELSE (SELECT hospital FROM users WHERE login = role AND enabled) END
$$;

CREATE FUNCTION yilian_duty(role name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT CASE WHEN role = 'yilian_platform' THEN 'platform_admin'
           ELSE (SELECT duty FROM users WHERE login = role AND enabled) END
$$;

-- How the owner's session becomes a user (`login`) for the statements that follow: only an
-- enabled registered user, or the platform. Anything else is refused before any statement runs.
CREATE FUNCTION yilian_act_as(login text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF yilian_hospital(login) IS NULL THEN
        RAISE EXCEPTION 'not a registered, enabled user' USING ERRCODE = 'YL001';
    END IF;
    PERFORM set_config('role', login, false);
END
$$;

-- Makes the login role of a registered user match its row: created (or adopted, when another
-- database of the cluster made it) with LOGIN while enabled, NOLOGIN once disabled, its password
-- set from the verifier waiting in the row. It applies only what the row says; the row's
-- policies decide who may write it.
CREATE FUNCTION yilian_sync_login(target text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    u users;
BEGIN
    SELECT * INTO u FROM users WHERE login = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = u.login) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE yilian_user', u.login);
    ELSIF NOT pg_has_role(u.login, 'yilian_user', 'MEMBER')
        OR EXISTS (SELECT FROM pg_roles WHERE rolname = u.login AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)) THEN
        RAISE EXCEPTION 'a role of that name exists and is not a Yilian user' USING ERRCODE = 'duplicate_object';
    END IF;
    IF NOT pg_has_role(current_user, u.login, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', u.login, current_user);
    END IF;
    EXECUTE format('ALTER ROLE %I %s', u.login, CASE WHEN u.enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF u.password IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', u.login, u.password);
        UPDATE users SET password = NULL WHERE login = u.login;
    END IF;
END
$$;

-- The referral state machine's moves, by side, as data for the database's own check. Written
-- from the core's table; a test holds the two equal.
CREATE TABLE referral_moves (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    side        text NOT NULL CHECK (side IN ('sender', 'receiver', 'system')),
    PRIMARY KEY (from_status, to_status, side)
);
INSERT INTO referral_moves (from_status, to_status, side) VALUES
    ('info_requested', 'requested',      'sender'),    -- provideInfo, redirect
    ('requested',      'requested',      'sender'),    -- redirect
    ('completed',      'closed',         'sender'),    -- acknowledge
    ('requested',      'cancelled',      'sender'),
    ('info_requested', 'cancelled',      'sender'),
    ('accepted',       'cancelled',      'sender'),
    ('scheduled',      'cancelled',      'sender'),
    ('requested',      'accepted',       'receiver'),
    ('requested',      'rejected',       'receiver'),
    ('info_requested', 'rejected',       'receiver'),
    ('requested',      'info_requested', 'receiver'),
    ('accepted',       'scheduled',      'receiver'),
    ('scheduled',      'scheduled',      'receiver'),  -- reschedule
    ('scheduled',      'in_treatment',   'receiver'),
    ('accepted',       'in_treatment',   'receiver'),  -- arrive, emergencies
    ('scheduled',      'no_show',        'receiver'),
    ('in_treatment',   'completed',      'receiver'),
    ('requested',      'requested',      'system'),    -- escalate
    ('requested',      'expired',        'system'),
    ('info_requested', 'expired',        'system');

-- Hospitals a referral was redirected away from: they keep seeing it.
ALTER TABLE referrals ADD COLUMN earlier_receivers text[] NOT NULL DEFAULT '{}';

-- A user's change of a referral must be one move of the machine its side may make, one version
-- on; only the sender redirects (changes the receiver). The system's moves only once a deadline
-- passed. The owner (no registered hospital) is not checked: RLS keeps everyone else out.
CREATE FUNCTION referral_move_allowed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    me   text := yilian_hospital(current_user);
    my_side text;
BEGIN
    IF NEW.to_hospital <> OLD.to_hospital THEN
        NEW.earlier_receivers := OLD.earlier_receivers || OLD.to_hospital;
    END IF;
    IF me IS NULL THEN
        RETURN NEW;
    END IF;
    my_side := CASE me WHEN OLD.from_hospital THEN 'sender' WHEN OLD.to_hospital THEN 'receiver' END;
    IF NEW.version = OLD.version + 1
       AND (NEW.to_hospital = OLD.to_hospital OR my_side = 'sender')
       AND (EXISTS (SELECT FROM referral_moves m WHERE m.from_status = OLD.status AND m.to_status = NEW.status AND m.side = my_side)
            OR (EXISTS (SELECT FROM referral_moves m WHERE m.from_status = OLD.status AND m.to_status = NEW.status AND m.side = 'system')
                AND NEW.to_hospital = OLD.to_hospital
                AND (OLD.respond_by <= now() OR OLD.info_requested_at + interval '7 days' <= now()))) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'this change of referral % is not a move its % may make', OLD.id, coalesce(my_side, 'party')
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER referrals_move_allowed BEFORE UPDATE ON referrals FOR EACH ROW EXECUTE FUNCTION referral_move_allowed();

-- The access log (SPEC §6): every read of patient data. Append-only.
CREATE TABLE access_log (
    seq       bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    login     text NOT NULL DEFAULT current_user,
    actor     text NOT NULL,
    hospital  text NOT NULL,
    method    text NOT NULL,
    referrals text[] NOT NULL
);
CREATE INDEX access_log_hospital ON access_log (hospital, seq);
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();

-- What the alliance indicators read: no patient data, every referral of the alliances the
-- reader's hospital belongs to (the platform: all). A view runs as its owner, past the
-- referrals' policies; its own condition is the rule.
CREATE VIEW referral_facts WITH (security_barrier) AS
    SELECT id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, status, escalation, parent,
           first_response_at, accepted_at, reject_code, scheduled_at, created_at
    FROM referrals
    WHERE (SELECT yilian_duty(current_user)) = 'platform_admin'
       OR alliance IN (SELECT alliance FROM memberships WHERE hospital = (SELECT yilian_hospital(current_user)));

-- Privileges of every application role: reading the shared catalogues, writing through policies.
GRANT USAGE ON SCHEMA public TO yilian_user;
GRANT SELECT ON specialties, hospitals, alliances, criteria_versions, memberships, slots, schema_migrations, referral_moves,
    referral_facts TO yilian_user;
GRANT INSERT ON hospitals, alliances, criteria_versions, memberships, membership_events, referral_events, access_log TO yilian_user;
GRANT UPDATE (status, criteria_version, emergency_hours, urgent_hours, routine_hours) ON alliances TO yilian_user;
GRANT UPDATE (role, status, since, updated_at) ON memberships TO yilian_user;
GRANT SELECT, INSERT ON applications, referrals, membership_events, referral_events TO yilian_user;
GRANT UPDATE (status, facts, criteria_version, evaluation, decision_reason, override, version, updated_at) ON applications TO yilian_user;
GRANT UPDATE (to_hospital, status, version, respond_by, clock_start, info_requested_at, slot_date, outcome, escalation,
    first_response_at, updated_at, accepted_at, reject_code, scheduled_at) ON referrals TO yilian_user;
GRANT INSERT, UPDATE (capacity, booked) ON slots TO yilian_user;
GRANT SELECT, INSERT, UPDATE (result) ON idempotency_keys TO yilian_user;
GRANT SELECT (login, name, hospital, duty, enabled, created_by, created_at), INSERT, UPDATE (enabled, password) ON users TO yilian_user;
GRANT SELECT ON access_log TO yilian_user;
GRANT USAGE ON SEQUENCE referral_numbers, application_numbers, membership_events_seq_seq, access_log_seq_seq TO yilian_user;
REVOKE EXECUTE ON FUNCTION yilian_sync_login(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_sync_login(text) TO yilian_user;

-- Referrals, their events and their patients: only the hospitals treating the patient.
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
CREATE POLICY parties_see ON referrals FOR SELECT
    USING ((SELECT yilian_hospital(current_user)) IN (from_hospital, to_hospital)
           OR (SELECT yilian_hospital(current_user)) = ANY (earlier_receivers));
CREATE POLICY sender_files ON referrals FOR INSERT
    WITH CHECK (from_hospital = (SELECT yilian_hospital(current_user)) AND status = 'requested' AND version = 1
                AND (SELECT yilian_duty(current_user)) IN ('coordinator', 'hospital_admin', 'integration'));
CREATE POLICY parties_act ON referrals FOR UPDATE
    USING ((SELECT yilian_hospital(current_user)) IN (from_hospital, to_hospital)
           AND (SELECT yilian_duty(current_user)) IN ('coordinator', 'hospital_admin', 'integration'));

ALTER TABLE referral_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY parties_see ON referral_events FOR SELECT
    USING (EXISTS (SELECT FROM referrals r WHERE r.id = referral));
-- An event is written by a party in its own name (an integration: in its hospital's name; a
-- sweep: the system's). The filing event (seq 1) comes in the statement that inserts the
-- referral, which its check cannot see yet; any other seq 1 is a duplicate key.
CREATE POLICY parties_append ON referral_events FOR INSERT
    WITH CHECK ((seq = 1 OR EXISTS (SELECT FROM referrals r WHERE r.id = referral))
                AND (actor = current_user::text OR actor = 'sweep@system'
                     OR ((SELECT yilian_duty(current_user)) = 'integration'
                         AND split_part(actor, '@', 2) = (SELECT yilian_hospital(current_user)))));

-- Applications: the applicant and the alliance's core.
ALTER TABLE applications ENABLE ROW LEVEL SECURITY;
CREATE POLICY applicant_and_core ON applications FOR ALL
    USING (hospital = (SELECT yilian_hospital(current_user))
           OR EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user))));

-- Slots: everyone reads; a hospital publishes its own; a booking moves with a referral its
-- parties can see (a sender's cancel releases the receiver's unit).
ALTER TABLE slots ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON slots FOR SELECT USING (true);
CREATE POLICY own_hospital_publishes ON slots FOR INSERT WITH CHECK (hospital = (SELECT yilian_hospital(current_user)));
CREATE POLICY parties_book ON slots FOR UPDATE
    USING (hospital = (SELECT yilian_hospital(current_user))
           OR EXISTS (SELECT FROM referrals r WHERE r.to_hospital = slots.hospital AND r.specialty = slots.specialty));
CREATE FUNCTION slot_capacity_own() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF NEW.capacity <> OLD.capacity AND yilian_hospital(current_user) IS DISTINCT FROM OLD.hospital
       AND yilian_hospital(current_user) IS NOT NULL THEN
        RAISE EXCEPTION 'only % publishes its slots', OLD.hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER slots_capacity_own BEFORE UPDATE ON slots FOR EACH ROW EXECUTE FUNCTION slot_capacity_own();

-- Hospitals and alliances are the platform's to register; an alliance's core keeps its criteria
-- and decides its members.
ALTER TABLE hospitals ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON hospitals FOR SELECT USING (true);
CREATE POLICY platform_registers ON hospitals FOR INSERT WITH CHECK ((SELECT yilian_duty(current_user)) = 'platform_admin');
ALTER TABLE alliances ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON alliances FOR SELECT USING (true);
CREATE POLICY platform_creates ON alliances FOR INSERT WITH CHECK ((SELECT yilian_duty(current_user)) = 'platform_admin');
CREATE POLICY core_keeps ON alliances FOR UPDATE USING (true)
    WITH CHECK (core = (SELECT yilian_hospital(current_user)) AND (SELECT yilian_duty(current_user)) = 'hospital_admin');
ALTER TABLE criteria_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON criteria_versions FOR SELECT USING (true);
CREATE POLICY core_sets ON criteria_versions FOR INSERT
    WITH CHECK (EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user)))
                AND (SELECT yilian_duty(current_user)) = 'hospital_admin');
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON memberships FOR SELECT USING (true);
CREATE POLICY core_or_platform_admits ON memberships FOR INSERT
    WITH CHECK ((SELECT yilian_duty(current_user)) = 'platform_admin'
                OR EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user))));
CREATE POLICY core_decides ON memberships FOR UPDATE
    USING (EXISTS (SELECT FROM alliances a WHERE a.code = alliance AND a.core = (SELECT yilian_hospital(current_user))));

-- Idempotency records keep a digest of a call's parameters, never the parameters: they may
-- hold resident IDs (SPEC §4).
ALTER TABLE idempotency_keys ADD COLUMN digest bytea;
UPDATE idempotency_keys SET digest = sha256(convert_to(params::text, 'UTF8'));
ALTER TABLE idempotency_keys ALTER COLUMN digest SET NOT NULL, DROP COLUMN params;

-- Idempotency keys belong to the calling hospital.
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_keys ON idempotency_keys FOR ALL
    USING (hospital = (SELECT yilian_hospital(current_user)));

-- Users: a hospital's own (its administrators register them), the platform's all.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY see_own_hospital ON users FOR SELECT
    USING (hospital = (SELECT yilian_hospital(current_user)) OR (SELECT yilian_duty(current_user)) = 'platform_admin');
CREATE POLICY administrators_change ON users FOR UPDATE
    USING ((SELECT yilian_duty(current_user)) = 'platform_admin'
           OR (hospital = (SELECT yilian_hospital(current_user)) AND (SELECT yilian_duty(current_user)) = 'hospital_admin'));
CREATE POLICY administrators_register ON users FOR INSERT
    WITH CHECK (created_by = current_user::text
                AND ((SELECT yilian_duty(current_user)) = 'platform_admin'
                     OR (hospital = (SELECT yilian_hospital(current_user)) AND duty <> 'platform_admin'
                         AND (SELECT yilian_duty(current_user)) = 'hospital_admin')));

-- The access log: appended by whoever reads, read by the hospital's auditors and the platform.
ALTER TABLE access_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers_append ON access_log FOR INSERT
    WITH CHECK (login = current_user::text AND hospital = (SELECT yilian_hospital(current_user)));
CREATE POLICY auditors_read ON access_log FOR SELECT
    USING ((SELECT yilian_duty(current_user)) = 'platform_admin'
           OR (hospital = (SELECT yilian_hospital(current_user)) AND (SELECT yilian_duty(current_user)) = 'auditor'));
