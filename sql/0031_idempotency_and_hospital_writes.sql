-- The wall, part eight: idempotency records and hospitals change only through the owner's
-- functions. Users held INSERT and UPDATE on their hospital's idempotency records: a physician
-- could store a result for a key its hospital's integration would use next, and the
-- integration's retry would have been answered with it. Now a key is claimed and completed only
-- through yilian_api.claim_key and yilian_api.complete_key, and a stored result is replayed only
-- to the login that claimed the key (anyone else with the same key: idempotency_mismatch, as for
-- other parameters). Hospitals are registered only by the platform, through
-- yilian_api.register_hospitals (it was a policy on a plain INSERT).

ALTER TABLE idempotency_keys ADD COLUMN login text;

-- Claims `key` of the caller's hospital for `method` with these parameters (kept as their
-- digest). `claimed`: the caller holds it now and runs the call. Otherwise the first claim's, once
-- it committed (a concurrent one is waited for): `result` when it is this login's, with this
-- method and these parameters; else `result` null (a mismatch).
CREATE FUNCTION yilian_api.claim_key(key text, method text, params jsonb, OUT claimed boolean, OUT result text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
    k  idempotency_keys;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.hospital IS NULL THEN
        RAISE EXCEPTION 'the owner claims no idempotency keys' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO idempotency_keys (hospital, key, method, digest, login)
    VALUES (me.hospital, claim_key.key, claim_key.method, sha256(convert_to(claim_key.params::text, 'UTF8')), me.login)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        claimed := true;
        RETURN;
    END IF;
    claimed := false;
    SELECT * INTO k FROM idempotency_keys i WHERE i.hospital = me.hospital AND i.key = claim_key.key FOR UPDATE;
    IF k.method = claim_key.method AND k.digest = sha256(convert_to(claim_key.params::text, 'UTF8'))
       AND k.login IS NOT DISTINCT FROM me.login THEN
        result := k.result;
    END IF;
END
$$;

-- Stores the result of the call that claimed `key`, by the login that claimed it.
CREATE FUNCTION yilian_api.complete_key(key text, result text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    UPDATE idempotency_keys i SET result = complete_key.result
    WHERE i.hospital = me.hospital AND i.key = complete_key.key AND i.login = me.login AND i.result IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no claim of key % by % waits for its result', complete_key.key, me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- Registers hospitals (one, or a whole import), by the platform.
CREATE FUNCTION yilian_api.register_hospitals(
    codes text[], names text[], levels smallint[], grades text[], kinds text[], districts text[], beds integer[], departments text[],
    facts jsonb[], at timestamptz)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin' AND yilian_api.on_time(register_hospitals.at), false) THEN
        RAISE EXCEPTION '% may not register hospitals', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO hospitals (code, name, level, grade, kind, district, beds, departments, facts, created_at)
    SELECT t.code, t.name, t.level, t.grade, t.kind, t.district, t.beds,
           CASE WHEN t.departments = '' THEN '{}'::text[] ELSE string_to_array(t.departments, ';') END, t.facts, register_hospitals.at
    FROM unnest(register_hospitals.codes, register_hospitals.names, register_hospitals.levels, register_hospitals.grades,
                register_hospitals.kinds, register_hospitals.districts, register_hospitals.beds, register_hospitals.departments,
                register_hospitals.facts)
        AS t(code, name, level, grade, kind, district, beds, departments, facts);
END
$$;

GRANT EXECUTE ON FUNCTION yilian_api.claim_key(text, text, jsonb), yilian_api.complete_key(text, text),
    yilian_api.register_hospitals(text[], text[], smallint[], text[], text[], text[], integer[], text[], jsonb[], timestamptz)
    TO yilian_user;
REVOKE SELECT, INSERT, UPDATE ON idempotency_keys FROM yilian_user;
REVOKE UPDATE (result) ON idempotency_keys FROM yilian_user;
REVOKE INSERT ON hospitals FROM yilian_user;
DROP POLICY own_keys ON idempotency_keys;
DROP POLICY platform_registers ON hospitals;
