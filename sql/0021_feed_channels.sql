-- Wake-ups per hospital: a commit wakes the watchers of the hospitals its events concern (the
-- feed row's `hospitals`), no longer every watcher of every hospital, each of which then read
-- the feed to find nothing of its own. A wake-up carries nothing: the feed is read through its
-- policy.
CREATE OR REPLACE FUNCTION feed_copy() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    concerned text[];
    hospital text;
BEGIN
    IF TG_TABLE_NAME = 'referral_events' THEN
        INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
        SELECT 'referral', r.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, r.priority,
               r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital]
        FROM referrals r WHERE r.id = NEW.referral
        RETURNING hospitals INTO concerned;
    ELSIF TG_TABLE_NAME = 'consultation_events' THEN
        INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
        SELECT 'consultation', c.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, c.priority,
               ARRAY[c.from_hospital, c.to_hospital]
        FROM consultations c WHERE c.id = NEW.consultation
        RETURNING hospitals INTO concerned;
    ELSE
        INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
        SELECT 'membership', coalesce(NEW.application, NEW.alliance || '/' || NEW.hospital), NEW.action, NEW.from_status,
               NEW.to_status, NEW.actor, NEW.at, NULL, ARRAY[NEW.hospital, a.core]
        FROM alliances a WHERE a.code = NEW.alliance
        RETURNING hospitals INTO concerned;
    END IF;
    FOREACH hospital IN ARRAY coalesce(concerned, '{}') LOOP
        PERFORM pg_notify('yilian_feed:' || hospital, '');
    END LOOP;
    RETURN NULL;
END
$$;

-- Listens to the wake-ups of `hospital` (a hospital code: the channel name is quoted here).
CREATE FUNCTION yilian_listen(hospital text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    EXECUTE format('LISTEN %I', 'yilian_feed:' || hospital);
END
$$;
GRANT EXECUTE ON FUNCTION yilian_listen(text) TO yilian_user;
