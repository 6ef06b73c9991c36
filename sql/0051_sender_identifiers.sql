-- A referral or a consultation that came in through FHIR (issue 29, SPEC §11: fhir.import) keeps
-- the sender system's own ServiceRequest.identifier ({system, value}). It is given once, at
-- filing, in the same call of the wall's function as the rest of the filing, and is unique per
-- sending hospital across referrals and consultations (sender_identifiers): the same identifier
-- never files twice, and fhir.import finds by it the case it filed (yilian_api.sent_case) to
-- answer a repeat.

-- What a sender's identifier may be, failing closed (a CHECK passes on NULL, so every part is
-- coalesced to false): exactly {system, value}, both strings of printable ASCII without spaces
-- (nothing it holds can move a terminal), at most 120 and 64 characters, the system without "|"
-- and neither one of Yilian's own (urn:yilian:…, in any case: a URN's prefix and namespace ignore
-- it) nor the resident ID's (whose values are never kept whole).
CREATE FUNCTION yilian_private.is_sender_identifier(identifier jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN CASE WHEN jsonb_typeof(identifier) = 'object' THEN coalesce(
        identifier - 'system' - 'value' = '{}'::jsonb
        AND jsonb_typeof(identifier -> 'system') = 'string' AND jsonb_typeof(identifier -> 'value') = 'string'
        AND (identifier ->> 'system') ~ '^[!-{}~]{1,120}$' AND (identifier ->> 'value') ~ '^[!-~]{1,64}$'
        AND lower(identifier ->> 'system') NOT LIKE 'urn:yilian:%' AND (identifier ->> 'system') <> 'urn:oid:2.16.156.10011.1.3', false)
        ELSE false END;
END
$$;
REVOKE ALL ON FUNCTION yilian_private.is_sender_identifier(jsonb) FROM PUBLIC;

ALTER TABLE referrals ADD COLUMN sender_identifier jsonb
    CONSTRAINT referrals_sender_identifier_check CHECK (sender_identifier IS NULL OR yilian_private.is_sender_identifier(sender_identifier));
ALTER TABLE consultations ADD COLUMN sender_identifier jsonb
    CONSTRAINT consultations_sender_identifier_check CHECK (sender_identifier IS NULL OR yilian_private.is_sender_identifier(sender_identifier));
-- One identifier, one case of the hospital, whether a referral or a consultation.
CREATE TABLE sender_identifiers (
    hospital text NOT NULL,
    system   text NOT NULL,
    value    text NOT NULL,
    filed    text NOT NULL UNIQUE,
    PRIMARY KEY (hospital, system, value)
);
REVOKE ALL ON sender_identifiers FROM PUBLIC;
ALTER TABLE sender_identifiers ENABLE ROW LEVEL SECURITY;

DROP FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamptz, timestamptz, text, text, jsonb, text, text);
CREATE FUNCTION yilian_api.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, sender_identifier jsonb) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
DECLARE
    new_id text;
BEGIN
    new_id := yilian_private.file_referral($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, yilian_private.copied_key($7, $13, $19));
    IF $20 IS NOT NULL THEN
        UPDATE referrals r SET sender_identifier = $20 WHERE r.id = new_id;
        INSERT INTO sender_identifiers VALUES ($5, $20 ->> 'system', $20 ->> 'value', new_id);
    END IF;
    RETURN new_id;
EXCEPTION WHEN integrity_constraint_violation THEN
    -- Without the detail, which quotes the row.
    RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;
REVOKE ALL ON FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamptz, timestamptz, text, text, jsonb, text, jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamptz, timestamptz, text, text, jsonb, text, jsonb) TO yilian_user;

DROP FUNCTION yilian_api.request_consultation(text, text, text, text, text, jsonb, boolean, jsonb, text, jsonb, text, timestamptz, timestamptz, text, text);
CREATE FUNCTION yilian_api.request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, sender_identifier jsonb) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
DECLARE
    new_id text;
BEGIN
    new_id := yilian_private.request_consultation($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, yilian_private.copied_key($6, $11, NULL));
    IF $15 IS NOT NULL THEN
        UPDATE consultations c SET sender_identifier = $15 WHERE c.id = new_id;
        INSERT INTO sender_identifiers VALUES ($2, $15 ->> 'system', $15 ->> 'value', new_id);
    END IF;
    RETURN new_id;
EXCEPTION WHEN integrity_constraint_violation THEN
    -- Without the detail, which quotes the row.
    RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;
REVOKE ALL ON FUNCTION yilian_api.request_consultation(text, text, text, text, text, jsonb, boolean, jsonb, text, jsonb, text, timestamptz, timestamptz, text, jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.request_consultation(text, text, text, text, text, jsonb, boolean, jsonb, text, jsonb, text, timestamptz, timestamptz, text, jsonb) TO yilian_user;

-- The case the caller's hospital filed under a sender's identifier, or NULL: nothing of another
-- hospital's is read.
CREATE FUNCTION yilian_api.sent_case(system text, value text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    RETURN (SELECT s.filed FROM sender_identifiers s WHERE s.hospital = me.hospital AND s.system = sent_case.system AND s.value = sent_case.value);
END
$$;
REVOKE ALL ON FUNCTION yilian_api.sent_case(text, text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.sent_case(text, text) TO yilian_user;
