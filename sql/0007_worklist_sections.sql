-- Worklist sections in their order without reading and sorting every open referral of a core
-- hospital (about 1,000 at a million referrals: 5 ms per section): outgoing lists a sender's
-- open referrals by id, toAcknowledge its completed ones by completion time. Partial, so they
-- hold only referrals that are still open.
CREATE INDEX referrals_outgoing_open ON referrals (from_hospital, id)
    WHERE status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
CREATE INDEX referrals_to_acknowledge ON referrals (from_hospital, updated_at, id) WHERE status = 'completed';
