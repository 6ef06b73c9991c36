-- A referral or a consultation exported as FHIR (issue 29, SPEC §11: fhir.export) is a read of
-- its patient's data, logged as such under its own method.
CREATE OR REPLACE FUNCTION yilian_api.reads_as(kind text, method text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN CASE kind
                WHEN 'referral' THEN method = ANY ('{referral.get,referral.history,referral.print,fhir.export,referral.file,referral.sweep,referral.accept,referral.acknowledge,referral.arrive,referral.cancel,referral.complete,referral.escalate,referral.expire,referral.noShow,referral.provideInfo,referral.redirect,referral.reject,referral.requestInfo,referral.reschedule,referral.schedule}'::text[])
                WHEN 'consultation' THEN method = ANY ('{consultation.get,consultation.history,consultation.print,fhir.export,consultation.list,consultation.convert,consultation.sweep,worklist.get,consultation.accept,consultation.acknowledge,consultation.cancel,consultation.conclude,consultation.convert,consultation.decline,consultation.expire,consultation.opine,consultation.schedule}'::text[])
                ELSE false END;
END
$$;
