-- The wall, part seventeen: PostgreSQL has no privilege on LISTEN or NOTIFY, and a fifth attacker
-- listened on `yilian_feed:ZRYY` with a plain psql login, learning when another hospital's
-- referrals moved (and could wake its readers for nothing). A hospital's wake-ups now go to a
-- channel named by a keyed hash of its code, which only the owner computes: `yilian_listen` (now
-- the owner's) listens on the caller's own hospital's, and nobody can name another's.
CREATE FUNCTION yilian_feed_channel(hospital text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN (SELECT 'yilian_feed:' || left(encode(sha256(secret || convert_to('feed|' || hospital, 'UTF8')), 'hex'), 40)
            FROM patient_key_secret);
END
$$;
REVOKE ALL ON FUNCTION yilian_feed_channel(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION yilian_feed_notify(concerned text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    hospital text;
BEGIN
    FOREACH hospital IN ARRAY coalesce(concerned, '{}') LOOP
        PERFORM pg_notify(yilian_feed_channel(hospital), '');
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION yilian_listen(hospital text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF hospital IS DISTINCT FROM yilian_hospital(yilian_caller())
       AND NOT yilian_api.is_owner(yilian_caller()) THEN
        RAISE EXCEPTION 'a session listens to its own hospital''s wake-ups only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('LISTEN %I', yilian_feed_channel(hospital));
END
$$;
