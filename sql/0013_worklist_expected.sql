-- The worklist's `expected` section (SPEC §2): patients scheduled to arrive, by appointment date.
CREATE INDEX referrals_expected ON referrals (to_hospital, slot_date, id) WHERE status = 'scheduled';
