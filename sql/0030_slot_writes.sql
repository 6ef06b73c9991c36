-- The wall, part seven: a hospital publishes its reserved slots only through the owner's
-- function. Users held INSERT and UPDATE on their own hospital's slots: a coordinator set every
-- date's `early` units to its capacity (the Beijing rule's "released two weeks ahead" share) and
-- inserted dates already booked, published in 2000. Now yilian_api.publish_slots takes the
-- capacity, expert units and total from the caller and derives the rest: the publication time
-- (now, for a user's own login), today in the alliance's time zone, the units released early.

-- The time zone and slot lead days of the hospital's alliance in that specialty (the first by
-- code when several), else China's and 14: what "today" and "early" mean for its slots.
CREATE FUNCTION yilian_api.slot_policy(hospital text, specialty text, OUT time_zone text, OUT lead_days integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce((SELECT a.time_zone FROM alliances a JOIN memberships m ON m.alliance = a.code
                     WHERE m.hospital = $1 AND a.specialty = $2 AND a.status = 'active' ORDER BY a.code LIMIT 1), 'Asia/Shanghai'),
           coalesce((SELECT a.slot_lead_days FROM alliances a JOIN memberships m ON m.alliance = a.code
                     WHERE m.hospital = $1 AND a.specialty = $2 AND a.status = 'active' ORDER BY a.code LIMIT 1), 14)
$$;

-- Sets the capacity on every date of `days` (none before today), and the expert units and total
-- when given (else a new date has 0 and none, a published one keeps its own), by a coordinator
-- (administrator, integration) of the hospital. Units count as released early when the date is
-- at least the lead days after today. Returns the dates as they now are.
CREATE FUNCTION yilian_api.publish_slots(
    hospital text, specialty text, days date[], capacity integer, expert integer, total integer, at timestamptz)
RETURNS SETOF slots
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me     record;
    policy record;
    today  date;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND publish_slots.hospital = me.hospital
                    AND yilian_api.on_time(publish_slots.at), false) THEN
        RAISE EXCEPTION '% may not publish the slots of %', me.login, publish_slots.hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO policy FROM yilian_api.slot_policy(publish_slots.hospital, publish_slots.specialty);
    today := (publish_slots.at AT TIME ZONE policy.time_zone)::date;
    IF EXISTS (SELECT FROM unnest(days) d WHERE d < today OR d > today + 3660) THEN
        RAISE EXCEPTION 'slots are published from today on' USING ERRCODE = 'check_violation';
    END IF;
    PERFORM FROM slots s WHERE s.hospital = publish_slots.hospital AND s.specialty = publish_slots.specialty AND s.date = ANY (days)
    ORDER BY s.date FOR UPDATE;
    RETURN QUERY
    INSERT INTO slots AS s (hospital, specialty, date, capacity, expert, total, early, published_at)
    SELECT publish_slots.hospital, publish_slots.specialty, d, publish_slots.capacity, coalesce(publish_slots.expert, 0),
        publish_slots.total, CASE WHEN d - today >= policy.lead_days THEN publish_slots.capacity ELSE 0 END, publish_slots.at
    FROM unnest(days) AS d
    ON CONFLICT ON CONSTRAINT slots_pkey DO UPDATE SET capacity = EXCLUDED.capacity, expert = coalesce(publish_slots.expert, s.expert),
        total = coalesce(publish_slots.total, s.total),
        early = CASE WHEN s.date - today >= policy.lead_days THEN EXCLUDED.capacity ELSE least(s.early, EXCLUDED.capacity) END
    RETURNING s.*;
END
$$;

GRANT EXECUTE ON FUNCTION yilian_api.slot_policy(text, text), yilian_api.publish_slots(text, text, date[], integer, integer, integer, timestamptz)
    TO yilian_user;
REVOKE INSERT, UPDATE ON slots FROM yilian_user;
REVOKE UPDATE (capacity, expert, total, early) ON slots FROM yilian_user;
DROP POLICY own_hospital_publishes ON slots;
DROP POLICY own_hospital_republishes ON slots;
DROP TRIGGER slots_capacity_own ON slots;
DROP FUNCTION slot_capacity_own();
