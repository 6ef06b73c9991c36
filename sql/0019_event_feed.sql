-- The event feed (SPEC §8). Every referral, consultation and membership event is copied into
-- `feed` by a trigger, in the writer's transaction, with the hospitals that may see it. A feed
-- number must grow in the order events become visible, and transactions commit out of order: a
-- number taken at insert would let a reader see 12 before 11 commits, and miss 11 for good. So an
-- event is numbered only after its transaction committed, by `yilian_feed_advance`, one caller at
-- a time, after the highest number so far: the numbers that are visible always run from 1 without
-- a gap. Writers never wait for it; readers call it before they read.

CREATE SEQUENCE feed_inserts;

CREATE TABLE feed (
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    inserted    bigint NOT NULL DEFAULT nextval('feed_inserts'),
    number      bigint UNIQUE,
    kind        text NOT NULL CHECK (kind IN ('referral', 'consultation', 'membership')),
    id          text NOT NULL,
    action      text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    actor       text NOT NULL,
    at          timestamptz NOT NULL,
    priority    text,
    -- Who may see it (SPEC §6): a referral's sender, receiver and earlier receivers; a
    -- consultation's two hospitals; a membership's applicant and the alliance's core.
    hospitals   text[] NOT NULL,
    PRIMARY KEY (txid, inserted)
);
CREATE INDEX feed_unnumbered ON feed (txid, inserted) WHERE number IS NULL;

-- Copies one event into the feed and wakes the listeners (NOTIFY is delivered at commit). As
-- the owner: the feed is written only here.
CREATE FUNCTION feed_copy() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_TABLE_NAME = 'referral_events' THEN
        INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
        SELECT 'referral', r.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, r.priority,
               r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital]
        FROM referrals r WHERE r.id = NEW.referral;
    ELSIF TG_TABLE_NAME = 'consultation_events' THEN
        INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
        SELECT 'consultation', c.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, c.priority,
               ARRAY[c.from_hospital, c.to_hospital]
        FROM consultations c WHERE c.id = NEW.consultation;
    ELSE
        INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
        SELECT 'membership', coalesce(NEW.application, NEW.alliance || '/' || NEW.hospital), NEW.action, NEW.from_status,
               NEW.to_status, NEW.actor, NEW.at, NULL, ARRAY[NEW.hospital, a.core]
        FROM alliances a WHERE a.code = NEW.alliance;
    END IF;
    PERFORM pg_notify('yilian_feed', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER referral_events_feed AFTER INSERT ON referral_events FOR EACH ROW EXECUTE FUNCTION feed_copy();
CREATE TRIGGER consultation_events_feed AFTER INSERT ON consultation_events FOR EACH ROW EXECUTE FUNCTION feed_copy();
CREATE TRIGGER membership_events_feed AFTER INSERT ON membership_events FOR EACH ROW EXECUTE FUNCTION feed_copy();

-- Numbers the committed events not numbered yet, in (xid, insert order), after the highest
-- number given so far; returns the highest number. One caller at a time (an advisory lock held
-- to the end of its transaction); each statement sees what committed before it, so a second
-- caller numbers after the first's numbers.
CREATE FUNCTION yilian_feed_advance() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    last bigint;
BEGIN
    -- Most calls find nothing to number (several readers woken by the same commit): no lock.
    IF NOT EXISTS (SELECT FROM feed WHERE number IS NULL) THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END IF;
    PERFORM pg_advisory_xact_lock(8071987);
    SELECT coalesce(max(number), 0) INTO last FROM feed;
    WITH ready AS (
        SELECT txid, inserted, last + row_number() OVER (ORDER BY txid, inserted) AS number
        FROM feed WHERE number IS NULL)
    UPDATE feed f SET number = ready.number FROM ready WHERE f.txid = ready.txid AND f.inserted = ready.inserted;
    RETURN (SELECT coalesce(max(number), 0) FROM feed);
END
$$;
REVOKE EXECUTE ON FUNCTION yilian_feed_advance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yilian_feed_advance() TO yilian_user;

GRANT SELECT ON feed TO yilian_user;
ALTER TABLE feed ENABLE ROW LEVEL SECURITY;
CREATE POLICY hospitals_see ON feed FOR SELECT USING ((SELECT yilian_hospital(current_user)) = ANY (hospitals));

-- What the alliance indicators read of consultations (0018): no patient data, every consultation
-- of the alliances the reader's hospital belongs to (the platform: all), as referral_facts.
CREATE VIEW consultation_facts WITH (security_barrier) AS
    SELECT id, alliance, from_hospital, to_hospital, mode, priority, status, first_response_at, answered_at, respond_by, converted_to,
           created_at
    FROM consultations
    WHERE (SELECT yilian_duty(current_user)) = 'platform_admin'
       OR alliance IN (SELECT alliance FROM memberships WHERE hospital = (SELECT yilian_hospital(current_user)));
GRANT SELECT ON consultation_facts TO yilian_user;
