-- Duties (SPEC §6): only coordinators, hospital administrators and integrations handle
-- referrals and publish slots; a physician or an auditor of a party reads the referral, and its
-- attempt to change it is refused (not skipped, which looked like a lost race). The system's
-- moves past a deadline (the sweep) stay open to any party's user.

-- Whether the session's role has a duty that handles referrals and slots.
CREATE FUNCTION yilian_handles_referrals() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT coalesce(yilian_duty(current_user) IN ('coordinator', 'hospital_admin', 'integration'), false)
$$;

DROP POLICY sender_files ON referrals;
CREATE POLICY sender_files ON referrals FOR INSERT
    WITH CHECK (from_hospital = (SELECT yilian_hospital(current_user)) AND status = 'requested' AND version = 1
                AND (SELECT yilian_handles_referrals()));
DROP POLICY parties_act ON referrals;
CREATE POLICY parties_act ON referrals FOR UPDATE
    USING ((SELECT yilian_hospital(current_user)) IN (from_hospital, to_hospital));

CREATE OR REPLACE FUNCTION referral_move_allowed() RETURNS trigger
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
       AND ((yilian_handles_referrals()
             AND EXISTS (SELECT FROM referral_moves m WHERE m.from_status = OLD.status AND m.to_status = NEW.status AND m.side = my_side))
            OR (EXISTS (SELECT FROM referral_moves m WHERE m.from_status = OLD.status AND m.to_status = NEW.status AND m.side = 'system')
                AND NEW.to_hospital = OLD.to_hospital
                AND (OLD.respond_by <= now() OR OLD.info_requested_at + interval '7 days' <= now()))) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'this change of referral % is not a move its % may make', OLD.id, coalesce(my_side, 'party')
        USING ERRCODE = 'insufficient_privilege';
END
$$;

DROP POLICY own_hospital_publishes ON slots;
CREATE POLICY own_hospital_publishes ON slots FOR INSERT
    WITH CHECK (hospital = (SELECT yilian_hospital(current_user)) AND (SELECT yilian_handles_referrals()));
CREATE OR REPLACE FUNCTION slot_capacity_own() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF NEW.capacity <> OLD.capacity AND yilian_hospital(current_user) IS NOT NULL
       AND (yilian_hospital(current_user) IS DISTINCT FROM OLD.hospital OR NOT yilian_handles_referrals()) THEN
        RAISE EXCEPTION 'only % publishes its slots', OLD.hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
