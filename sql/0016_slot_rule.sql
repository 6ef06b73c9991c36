-- Reserved slots as the Beijing rule has them (SPEC §2): of the reserved units, `expert` are
-- expert slots (专家号), booked apart from the others; `total` is every slot of that clinic on
-- that day; `early` counts the units published at least the alliance's slot_lead_days before
-- their date. A referral remembers whether it holds an expert unit, to give back the right kind.
ALTER TABLE slots
    ADD COLUMN expert integer NOT NULL DEFAULT 0,
    ADD COLUMN expert_booked integer NOT NULL DEFAULT 0,
    ADD COLUMN total integer,
    ADD COLUMN early integer NOT NULL DEFAULT 0,
    ADD COLUMN published_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT slots_expert CHECK (expert >= 0 AND expert <= capacity AND expert_booked >= 0 AND expert_booked <= expert
                                       AND booked - expert_booked <= capacity - expert),
    ADD CONSTRAINT slots_total CHECK (total IS NULL OR total >= capacity),
    ADD CONSTRAINT slots_early CHECK (early >= 0 AND early <= capacity);
ALTER TABLE referrals ADD COLUMN slot_expert boolean NOT NULL DEFAULT false;

GRANT UPDATE (expert, expert_booked, total, early) ON slots TO yilian_user;
GRANT UPDATE (slot_expert) ON referrals TO yilian_user;

-- Only the hospital's own users change what it publishes (capacity, expert units, total).
CREATE OR REPLACE FUNCTION slot_capacity_own() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF (NEW.capacity, NEW.expert, NEW.total, NEW.early) IS DISTINCT FROM (OLD.capacity, OLD.expert, OLD.total, OLD.early)
       AND yilian_hospital(current_user) IS NOT NULL
       AND (yilian_hospital(current_user) IS DISTINCT FROM OLD.hospital OR NOT yilian_handles_referrals()) THEN
        RAISE EXCEPTION 'only % publishes its slots', OLD.hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- Down-referrals no longer book reserved slots: give back the units scheduled ones held.
UPDATE slots s SET booked = s.booked - d.held
FROM (SELECT to_hospital, specialty, slot_date, count(*)::integer AS held FROM referrals
      WHERE direction = 'down' AND status = 'scheduled' AND slot_date IS NOT NULL GROUP BY 1, 2, 3) d
WHERE s.hospital = d.to_hospital AND s.specialty = d.specialty AND s.date = d.slot_date;
