-- Each worklist section read in its order from an index, without fetching and sorting all of a
-- core hospital's open referrals (about 1,000 at a million referrals: 4–5 ms per section). Partial,
-- so each holds only the referrals in its section's statuses.
CREATE INDEX referrals_incoming_open ON referrals (to_hospital, (priority = 'emergency') DESC, respond_by, id)
    WHERE status IN ('requested', 'info_requested');
CREATE INDEX referrals_outgoing_open ON referrals (from_hospital, id)
    WHERE status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
CREATE INDEX referrals_to_schedule ON referrals (to_hospital, (priority = 'emergency') DESC, id) WHERE status = 'accepted';
CREATE INDEX referrals_in_treatment ON referrals (to_hospital, id) WHERE status = 'in_treatment';
CREATE INDEX referrals_to_acknowledge ON referrals (from_hospital, updated_at, id) WHERE status = 'completed';
