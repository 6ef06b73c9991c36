-- The schema that sql/NNNN_*.sql make, as pg_dump --schema-only --no-owner prints it. Generated: do not edit;
-- YILIAN_WRITE_SCHEMA=1 swift test --filter SchemaFileTests writes it anew.
--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: yilian_api; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA yilian_api;


--
-- Name: yilian_private; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA yilian_private;


--
-- Name: access_log_only_grows(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.access_log_only_grows() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.xact = pg_current_xact_id() AND NEW.xact = OLD.xact AND NEW.referrals @> OLD.referrals
       AND (NEW.seq, NEW.at, NEW.login, NEW.actor, NEW.hospital, NEW.method) = (OLD.seq, OLD.at, OLD.login, OLD.actor, OLD.hospital, OLD.method) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % is refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;


--
-- Name: feed_copy_consultation_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.feed_copy_consultation_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    concerned text[];
BEGIN
    INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
    SELECT 'consultation', c.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, c.priority,
           ARRAY[c.from_hospital, c.to_hospital]
    FROM consultations c WHERE c.id = NEW.consultation
    RETURNING hospitals INTO concerned;
    PERFORM yilian_feed_notify(concerned);
    RETURN NULL;
END
$$;


--
-- Name: feed_copy_membership_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.feed_copy_membership_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    concerned text[];
BEGIN
    INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
    SELECT 'membership', coalesce(NEW.application, NEW.alliance || '/' || NEW.hospital), NEW.action, NEW.from_status,
           NEW.to_status, NEW.actor, NEW.at, NULL, ARRAY[NEW.hospital, a.core]
    FROM alliances a WHERE a.code = NEW.alliance
    RETURNING hospitals INTO concerned;
    PERFORM yilian_feed_notify(concerned);
    RETURN NULL;
END
$$;


--
-- Name: feed_copy_referral_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.feed_copy_referral_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    concerned text[];
BEGIN
    INSERT INTO feed (kind, id, action, from_status, to_status, actor, at, priority, hospitals)
    SELECT 'referral', r.id, NEW.action, NEW.from_status, NEW.to_status, NEW.actor, NEW.at, r.priority,
           r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital]
    FROM referrals r WHERE r.id = NEW.referral
    RETURNING hospitals INTO concerned;
    PERFORM yilian_feed_notify(concerned);
    RETURN NULL;
END
$$;


--
-- Name: refuse_event_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refuse_event_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;


--
-- Name: yilian_act_as(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_act_as(login text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF yilian_hospital(login) IS NULL THEN
        RAISE EXCEPTION 'not a registered, enabled user' USING ERRCODE = 'YL001';
    END IF;
    PERFORM set_config('role', login, false);
END
$$;


--
-- Name: yilian_caller(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_caller() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(nullif(current_setting('role'), 'none'), session_user);
END
$$;


--
-- Name: yilian_consultation_indicators(text, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_consultation_indicators(alliance text, from_day date, to_day date) RETURNS TABLE(grouping_set integer, from_hospital text, to_hospital text, asked bigint, answered bigint, median_hours double precision, answered_in_time bigint, converted bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(c.from_hospital, c.to_hospital), c.from_hospital, c.to_hospital, count(*), count(c.answered_at),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_response_at - c.created_at) / 3600),
        count(*) FILTER (WHERE c.answered_at <= c.respond_by + (c.respond_by - c.created_at)), count(c.converted_to)
    FROM consultations c JOIN alliances a ON a.code = c.alliance
    WHERE c.alliance = $1 AND c.created_at >= $2::timestamp AT TIME ZONE a.time_zone
      AND c.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND (SELECT yilian_reads_indicators($1))
    GROUP BY GROUPING SETS ((), (c.from_hospital), (c.to_hospital))
$_$;


--
-- Name: yilian_duty(name); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_duty(role name) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
BEGIN
    IF role IS DISTINCT FROM yilian_caller()
       AND NOT yilian_api.is_owner(session_user) THEN
        RETURN NULL;
    END IF;
    IF role = 'yilian_platform' THEN
        RETURN 'platform_admin';
    END IF;
    RETURN (SELECT duty FROM users WHERE login = role AND enabled);
END
$$;


--
-- Name: yilian_end_long_transactions(interval); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_end_long_transactions(longer_than interval) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN count(*)::integer FROM (
        SELECT a.pid FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.xact_start < now() - longer_than AND a.pid <> pg_backend_pid()
          AND EXISTS (SELECT FROM users u WHERE u.login = a.usename)
        OFFSET 0) long
    WHERE pg_terminate_backend(long.pid);
END
$$;


--
-- Name: yilian_feed_advance(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_feed_advance() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET lock_timeout TO '1s'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    last bigint;
BEGIN
    -- Most calls find nothing to number (several readers woken by the same commit): no lock.
    IF NOT EXISTS (SELECT FROM feed WHERE number IS NULL) THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END IF;
    BEGIN
        PERFORM FROM feed_numbering FOR UPDATE;
    EXCEPTION WHEN lock_not_available THEN
        RETURN (SELECT coalesce(max(number), 0) FROM feed);
    END;
    SELECT coalesce(max(number), 0) INTO last FROM feed;
    WITH ready AS (
        SELECT txid, inserted, last + row_number() OVER (ORDER BY txid, inserted) AS number
        FROM feed WHERE number IS NULL)
    UPDATE feed f SET number = ready.number FROM ready WHERE f.txid = ready.txid AND f.inserted = ready.inserted;
    RETURN (SELECT coalesce(max(number), 0) FROM feed);
END
$$;


--
-- Name: yilian_feed_channel(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_feed_channel(hospital text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN (SELECT 'yilian_feed:' || left(encode(sha256(secret || convert_to('feed|' || hospital, 'UTF8')), 'hex'), 40)
            FROM patient_key_secret);
END
$$;


--
-- Name: yilian_feed_notify(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_feed_notify(concerned text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    hospital text;
BEGIN
    FOREACH hospital IN ARRAY coalesce(concerned, '{}') LOOP
        PERFORM pg_notify(yilian_feed_channel(hospital), '');
    END LOOP;
END
$$;


--
-- Name: yilian_handles_referrals(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_handles_referrals() RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(yilian_duty(current_user) IN ('coordinator', 'hospital_admin', 'integration'), false);
END
$$;


--
-- Name: yilian_hospital(name); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_hospital(role name) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
BEGIN
    IF role IS DISTINCT FROM yilian_caller()
       AND NOT yilian_api.is_owner(session_user) THEN
        RETURN NULL;
    END IF;
    IF role = 'yilian_platform' THEN
        RETURN 'admin';
    END IF;
    RETURN (SELECT hospital FROM users WHERE login = role AND enabled);
END
$$;


--
-- Name: yilian_keep_resident_id(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_keep_resident_id(id_number text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    key text := yilian_patient_key(id_number);
BEGIN
    INSERT INTO resident_ids VALUES (key, upper(id_number));
    RETURN key;
END
$$;


--
-- Name: yilian_listen(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_listen(hospital text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
BEGIN
    IF hospital IS DISTINCT FROM yilian_hospital(yilian_caller())
       AND NOT yilian_api.is_owner(yilian_caller()) THEN
        RAISE EXCEPTION 'a session listens to its own hospital''s wake-ups only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('LISTEN %I', yilian_feed_channel(hospital));
END
$$;


--
-- Name: yilian_masked_id(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_masked_id(id_number text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN CASE WHEN length(id_number) > 4 THEN repeat('*', length(id_number) - 4) || right(id_number, 4)
                ELSE repeat('*', length(id_number)) END;
END
$$;


--
-- Name: yilian_outreach_indicators(text, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_outreach_indicators(alliance text, from_day date, to_day date) RETURNS TABLE(grouping_set integer, site text, expert text, sessions bigint, patients bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(s.site, s.expert), s.site, s.expert, count(*), coalesce(sum(s.booked), 0)::bigint
    FROM outreach_sessions s
    WHERE s.alliance = $1 AND s.date BETWEEN $2 AND $3 AND (SELECT yilian_reads_indicators($1))
    GROUP BY GROUPING SETS ((), (s.site), (s.expert))
$_$;


--
-- Name: yilian_patient_key(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_patient_key(id_number text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
BEGIN
    IF id_number IS NULL THEN RETURN NULL; END IF;
    RETURN (SELECT encode(sha256(secret || convert_to(upper(id_number), 'UTF8')), 'hex') FROM patient_key_secret);
END
$$;


--
-- Name: yilian_patient_seen_by(text, text, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_patient_seen_by(name text, birth_date text, hospitals text[]) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN ARRAY(SELECT name || '|' || birth_date || '|' || h FROM unnest(hospitals || ARRAY['']) h);
END
$$;


--
-- Name: yilian_patient_stored_masked(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_patient_stored_masked() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    id_number text := NEW.patient->>'idNumber';
    source    jsonb := to_jsonb(NEW);
BEGIN
    NEW.id_entered := false;
    IF id_number IS NULL THEN
        NEW.patient_key := NULL;
    ELSIF position('*' IN id_number) = 0 THEN
        NEW.patient_key := yilian_keep_resident_id(id_number);
        NEW.patient := jsonb_set(NEW.patient, '{idNumber}', to_jsonb(yilian_masked_id(id_number)));
        NEW.id_entered := true;
    ELSE
        NEW.patient_key := yilian_private.copied_key(NEW.patient, coalesce(source->>'parent', source->>'referral'), source->>'consultation');
        IF NEW.patient_key IS NULL THEN
            RAISE EXCEPTION 'a masked resident ID must come with the key of its patient' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: yilian_reads_indicators(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_reads_indicators(alliance text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT yilian_duty(yilian_caller()) = 'platform_admin'
        OR EXISTS (SELECT FROM memberships m WHERE m.alliance = $1 AND m.hospital = yilian_hospital(yilian_caller()) AND m.status = 'active')
$_$;


--
-- Name: yilian_recognition_indicators(text, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_recognition_indicators(alliance text, from_day date, to_day date) RETURNS TABLE(grouping_set integer, hospital text, item text, results bigint, recognized bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(r.from_hospital, e ->> 'item'), r.from_hospital, e ->> 'item', count(*),
        count(*) FILTER (WHERE e -> 'recognition' -> 'recognized' = 'true'::jsonb)
    FROM referrals r JOIN alliances a ON a.code = r.alliance, jsonb_array_elements(r.attachments) e
    WHERE r.alliance = $1 AND r.created_at >= $2::timestamp AT TIME ZONE a.time_zone
      AND r.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND (SELECT yilian_reads_indicators($1))
      AND e ->> 'kind' IN ('lab', 'imaging')
    GROUP BY GROUPING SETS ((), (r.from_hospital), (e ->> 'item'))
$_$;


--
-- Name: yilian_referral_indicators(text, date, date, timestamp with time zone, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_referral_indicators(alliance text, from_day date, to_day date, moment timestamp with time zone, by_month boolean) RETURNS TABLE(grouping_set integer, from_hospital text, to_hospital text, month text, referrals bigint, up_out bigint, up_in bigint, down_out bigint, down_in bigint, up_out_arrived bigint, up_in_arrived bigint, down_out_arrived bigint, down_in_arrived bigint, accepted bigint, rejected bigint, median_hours double precision, overdue bigint, scheduled bigint, no_show bigint, completed_up bigint, closed_loop bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '64MB'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(r.from_hospital, r.to_hospital, r.month), r.from_hospital, r.to_hospital, to_char(r.month, 'YYYY-MM'), count(*),
        count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'outpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.direction = 'up' AND r.setting = 'inpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'outpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.direction = 'down' AND r.setting = 'inpatient' AND r.status <> 'cancelled'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'up' AND r.setting = 'outpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'up' AND r.setting = 'inpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'down' AND r.setting = 'outpatient'),
        count(*) FILTER (WHERE r.arrived AND r.direction = 'down' AND r.setting = 'inpatient'),
        count(r.accepted_at), count(r.reject_code),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at) / 3600),
        count(*) FILTER (WHERE r.escalation > 0 OR r.first_response_at > r.created_at + r.response_window
            OR (r.first_response_at IS NULL AND r.created_at + r.response_window < $4)),
        count(r.scheduled_at), count(*) FILTER (WHERE r.status = 'no_show'),
        count(*) FILTER (WHERE r.direction = 'up' AND r.status IN ('completed', 'closed')),
        count(*) FILTER (WHERE r.direction = 'up' AND (r.status = 'closed' OR (r.status = 'completed' AND c.parent IS NOT NULL)))
    FROM (SELECT r.*, CASE WHEN $5 THEN date_trunc('month', r.created_at AT TIME ZONE a.time_zone) END AS month,
                 r.status IN ('in_treatment', 'completed', 'closed') AS arrived,
                 make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                     WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) AS response_window
          FROM referrals r JOIN alliances a ON a.code = r.alliance
          WHERE r.alliance = $1 AND r.created_at >= $2::timestamp AT TIME ZONE a.time_zone
            AND r.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND (SELECT yilian_reads_indicators($1))) r
    LEFT JOIN (SELECT DISTINCT parent FROM referrals WHERE alliance = $1 AND parent IS NOT NULL) c ON c.parent = r.id
    GROUP BY GROUPING SETS ((), (r.from_hospital), (r.to_hospital), (r.month))
$_$;


--
-- Name: yilian_rejection_indicators(text, date, date, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_rejection_indicators(alliance text, from_day date, to_day date, by_month boolean) RETURNS TABLE(grouping_set integer, from_hospital text, to_hospital text, month text, reject_code text, n bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
    SELECT GROUPING(r.from_hospital, r.to_hospital, r.month), r.from_hospital, r.to_hospital, to_char(r.month, 'YYYY-MM'),
           r.reject_code, count(*)
    FROM (SELECT r.from_hospital, r.to_hospital, r.reject_code,
                 CASE WHEN $4 THEN date_trunc('month', r.created_at AT TIME ZONE a.time_zone) END AS month
          FROM referrals r JOIN alliances a ON a.code = r.alliance
          WHERE r.alliance = $1 AND r.created_at >= $2::timestamp AT TIME ZONE a.time_zone
            AND r.created_at < ($3 + 1)::timestamp AT TIME ZONE a.time_zone AND r.reject_code IS NOT NULL
            AND (SELECT yilian_reads_indicators($1))) r
    GROUP BY GROUPING SETS ((r.reject_code), (r.from_hospital, r.reject_code), (r.to_hospital, r.reject_code), (r.month, r.reject_code))
$_$;


--
-- Name: yilian_request_within_limits(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_request_within_limits() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NOT (yilian_valid_patient(NEW.patient) AND yilian_valid_diagnoses(NEW.diagnosis) AND yilian_valid_attachments(NEW.attachments)
            AND octet_length(NEW.patient::text) <= 1048576 AND octet_length(NEW.diagnosis::text) <= 1048576
            AND octet_length(NEW.attachments::text) <= 1048576) THEN
        RAISE EXCEPTION 'the patient, diagnosis and attachments of % % are not as Yilian reads them, or too large', TG_TABLE_NAME, NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: yilian_sync_login(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_sync_login(target text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    u users;
BEGIN
    SELECT * INTO u FROM users WHERE login = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = u.login) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE yilian_user', u.login);
    ELSIF NOT pg_has_role(u.login, 'yilian_user', 'MEMBER')
        OR EXISTS (SELECT FROM pg_roles WHERE rolname = u.login AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)) THEN
        RAISE EXCEPTION 'a role of that name exists and is not a Yilian user' USING ERRCODE = 'duplicate_object';
    END IF;
    IF NOT pg_has_role(current_user, u.login, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', u.login, current_user);
    END IF;
    IF NOT u.enabled THEN
        PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.usename = u.login;
    END IF;
    EXECUTE format('ALTER ROLE %I %s CONNECTION LIMIT %s', u.login, CASE WHEN u.enabled THEN 'LOGIN' ELSE 'NOLOGIN' END,
                   CASE u.duty WHEN 'integration' THEN 72 ELSE 8 END);
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', u.login, '1min');
    IF u.password IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', u.login, u.password);
        UPDATE users SET password = NULL WHERE login = u.login;
    END IF;
END
$$;


--
-- Name: yilian_valid_attachments(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_valid_attachments(a jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$#variable_conflict use_column
BEGIN
    RETURN coalesce(jsonb_typeof(a) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(a) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND e ->> 'kind' IN ('lab', 'imaging', 'document')
            AND e - 'kind' - 'title' - 'reference' - 'item' - 'performedAt' - 'performedBy' - 'recognition' = '{}'::jsonb
            AND jsonb_typeof(e -> 'title') = 'string' AND jsonb_typeof(e -> 'reference') = 'string'
            AND (NOT e ? 'item' OR (jsonb_typeof(e -> 'item') = 'string' AND (e ->> 'item') ~ '^[A-Za-z0-9._-]{1,32}$'))
            AND (NOT e ? 'performedAt' OR yilian_private.calendar_date(e ->> 'performedAt') IS NOT NULL)
            AND (NOT e ? 'performedBy' OR (jsonb_typeof(e -> 'performedBy') = 'string' AND (e ->> 'performedBy') ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'))
            AND (NOT e ? 'recognition' OR jsonb_typeof(e -> 'recognition') = 'object'), false)), false);
END
$_$;


--
-- Name: yilian_valid_diagnoses(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_valid_diagnoses(d jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(jsonb_typeof(d) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(d) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND jsonb_typeof(e -> 'code') = 'string' AND jsonb_typeof(e -> 'name') = 'string', false)),
        false);
END
$$;


--
-- Name: yilian_valid_opinions(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_valid_opinions(o jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$#variable_conflict use_column
BEGIN
    RETURN coalesce(jsonb_typeof(o) = 'array' AND NOT EXISTS (
        SELECT FROM jsonb_array_elements(o) e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object' AND jsonb_typeof(e -> 'expert') = 'string' AND jsonb_typeof(e -> 'summary') = 'string'
            AND e ->> 'recommendation' IN ('manage_locally', 'refer_up', 'refer_down', 'further_tests')
            AND (e ->> 'at') ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?(Z|[+-][0-9]{2}:[0-9]{2})$',
            false)), false);
END
$_$;


--
-- Name: yilian_valid_outcome(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_valid_outcome(o jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$#variable_conflict use_column
BEGIN
    RETURN o IS NULL OR coalesce(jsonb_typeof(o) = 'object' AND jsonb_typeof(o -> 'summary') = 'string'
        AND yilian_valid_diagnoses(o -> 'diagnosis') AND o ->> 'recommendation' IN ('down_refer', 'follow_up', 'discharge')
        AND (coalesce(jsonb_typeof(o -> 'followUpDays'), 'null') = 'null'
             OR (jsonb_typeof(o -> 'followUpDays') = 'number' AND (o ->> 'followUpDays') ~ '^-?[0-9]{1,9}$')), false);
END
$_$;


--
-- Name: yilian_valid_patient(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_valid_patient(p jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(jsonb_typeof(p) = 'object' AND jsonb_typeof(p -> 'name') = 'string' AND p ->> 'sex' IN ('male', 'female', 'unknown')
        AND jsonb_typeof(p -> 'birthDate') = 'string' AND coalesce(jsonb_typeof(p -> 'idNumber'), 'null') IN ('string', 'null')
        AND coalesce(jsonb_typeof(p -> 'phone'), 'null') IN ('string', 'null'), false);
END
$$;


--
-- Name: yilian_visible_patient_key(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_visible_patient_key(id_number text) RETURNS text
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
    key  text := yilian_patient_key(id_number);
    mine text := yilian_hospital(yilian_caller());
BEGIN
    IF key IS NULL OR mine IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM referrals r WHERE (r.patient_key || '|' || r.from_hospital) = key || '|' || mine AND r.id_entered)
       OR EXISTS (SELECT FROM consultations c WHERE (c.patient_key || '|' || c.from_hospital) = key || '|' || mine AND c.id_entered) THEN
        RETURN key;
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: yilian_worklist_counts(text, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.yilian_worklist_counts(code text, moment timestamp with time zone) RETURNS TABLE(incoming bigint, outgoing bigint, overdue bigint, to_schedule bigint, expected bigint, in_treatment bigint, to_acknowledge bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
BEGIN
    IF code IS DISTINCT FROM yilian_hospital(coalesce(nullif(current_setting('role'), 'none'), session_user)) THEN
        RAISE EXCEPTION 'only a hospital''s own worklist is counted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status IN ('requested', 'info_requested')),
        (SELECT count(*) FROM referrals r WHERE r.from_hospital = code
            AND r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed')),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'requested' AND r.respond_by < moment),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'accepted'),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'scheduled'),
        (SELECT count(*) FROM referrals r WHERE r.to_hospital = code AND r.status = 'in_treatment'),
        (SELECT count(*) FROM referrals r WHERE r.from_hospital = code AND r.status = 'completed');
END
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_log (
    seq bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    login text DEFAULT CURRENT_USER NOT NULL,
    actor text NOT NULL,
    hospital text NOT NULL,
    method text NOT NULL,
    referrals text[] NOT NULL,
    xact xid8
);


--
-- Name: access_records(text, text, timestamp with time zone, timestamp with time zone, bigint, integer); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.access_records(of_hospital text, referral text, from_at timestamp with time zone, to_at timestamp with time zone, before_seq bigint, lim integer) RETURNS SETOF public.access_log
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
    RETURN QUERY SELECT * FROM access_log l
    WHERE (me.duty = 'platform_admin' OR (me.duty = 'auditor' AND l.hospital = me.hospital))
      AND (of_hospital IS NULL OR l.hospital = of_hospital) AND (referral IS NULL OR l.referrals @> ARRAY[referral])
      AND (from_at IS NULL OR l.at >= from_at) AND (to_at IS NULL OR l.at < to_at) AND (before_seq IS NULL OR l.seq < before_seq)
    ORDER BY l.seq DESC LIMIT least(greatest(coalesce(lim, 1000), 0), 1000);
END
$$;


--
-- Name: act_on_application(text, text, text, integer, jsonb, integer, jsonb, text, text, timestamp with time zone, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.act_on_application(application_id text, action text, status text, version integer, facts jsonb, criteria_version integer, evaluation jsonb, decision_reason text, override text, at timestamp with time zone, actor text, reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me      record;
    app     applications;
    move    application_actions;
    side    text;
    changed text[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Its applicant's and its core's only, whether or not it exists for anyone else; looked at
    -- before it is locked (nobody locks another hospital's application).
    SELECT * INTO app FROM applications WHERE id = application_id;
    side := CASE WHEN me.hospital = app.hospital THEN 'applicant'
                 WHEN EXISTS (SELECT FROM alliances a WHERE a.code = app.alliance AND a.core = me.hospital) THEN 'core' END;
    IF side IS NULL THEN
        RAISE EXCEPTION 'no application %', application_id USING ERRCODE = 'no_data_found';
    END IF;
    SELECT * INTO app FROM applications WHERE id = application_id FOR UPDATE;
    SELECT * INTO move FROM application_actions m
    WHERE m.action = act_on_application.action AND m.from_status = app.status AND m.to_status = act_on_application.status;
    IF NOT FOUND OR NOT coalesce(move.side = side AND app.version = act_on_application.version - 1
           AND yilian_api.may_name(act_on_application.actor, me.login, me.hospital, me.duty) AND yilian_api.on_time(act_on_application.at)
           AND CASE side WHEN 'applicant' THEN me.duty IN ('coordinator', 'hospital_admin', 'integration')
                         ELSE me.duty = 'hospital_admin' END, false) THEN
        RAISE EXCEPTION 'this change of application % is not a move its % may make', app.id, coalesce(side, 'reader')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    changed := array_remove(ARRAY[
        CASE WHEN act_on_application.facts IS DISTINCT FROM app.facts THEN 'facts' END,
        CASE WHEN act_on_application.criteria_version IS DISTINCT FROM app.criteria_version THEN 'criteria_version' END,
        CASE WHEN act_on_application.evaluation IS DISTINCT FROM app.evaluation THEN 'evaluation' END,
        CASE WHEN act_on_application.decision_reason IS DISTINCT FROM app.decision_reason THEN 'decision_reason' END,
        CASE WHEN act_on_application.override IS DISTINCT FROM app.override THEN 'override' END], NULL);
    IF NOT coalesce(changed <@ move.columns AND jsonb_typeof(act_on_application.facts) = 'object'
                    AND octet_length(act_on_application.facts::text) <= 65536
                    AND octet_length(coalesce(act_on_application.evaluation::text, '')) <= 1048576
                    AND octet_length(coalesce(act_on_application.decision_reason, '') || coalesce(act_on_application.override, '')
                                     || coalesce(act_on_application.reason, '')) <= 1048576, false)
       OR (act_on_application.action = 'update' AND NOT EXISTS (
               SELECT FROM alliances a WHERE a.code = app.alliance AND a.criteria_version = act_on_application.criteria_version)) THEN
        RAISE EXCEPTION '% may not change % of application %', act_on_application.action,
            array_to_string(ARRAY(SELECT unnest(changed) EXCEPT SELECT unnest(move.columns) ORDER BY 1), ', '), app.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE applications SET status = act_on_application.status, facts = act_on_application.facts,
        criteria_version = act_on_application.criteria_version, evaluation = act_on_application.evaluation,
        decision_reason = act_on_application.decision_reason, override = act_on_application.override,
        updated_at = act_on_application.at, version = act_on_application.version
    WHERE id = app.id;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (app.alliance, app.hospital, app.id, act_on_application.action, app.status, act_on_application.status,
        act_on_application.actor, act_on_application.at, act_on_application.reason);
    IF act_on_application.action = 'approve' THEN
        INSERT INTO memberships (alliance, hospital, role, status, since, updated_at)
        VALUES (app.alliance, app.hospital, app.role, 'active', act_on_application.at, act_on_application.at)
        ON CONFLICT (alliance, hospital) DO UPDATE SET role = EXCLUDED.role, status = 'active', since = EXCLUDED.since,
            updated_at = EXCLUDED.updated_at;
        INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
        VALUES (app.alliance, app.hospital, app.id, 'admit', NULL, 'active', act_on_application.actor, act_on_application.at,
            act_on_application.decision_reason);
    END IF;
END
$$;


--
-- Name: add_user(text, text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.add_user(login text, duty text, verifier text, display_name text) RETURNS void
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
    me       record;
    name     text := split_part(add_user.login, '@', 1);
    hospital text := substr(add_user.login, length(split_part(add_user.login, '@', 1)) + 2);
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin'
                    OR (me.duty = 'hospital_admin' AND hospital = me.hospital AND add_user.duty <> 'platform_admin'), false) THEN
        RAISE EXCEPTION '% may not register users of %', me.login, hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF verifier IS NOT NULL AND verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'a password is stored as a SCRAM verifier only' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO users (login, name, hospital, duty, password, created_by, display_name)
    VALUES (add_user.login, name, hospital, add_user.duty, verifier, me.login, add_user.display_name);
    PERFORM yilian_sync_login(add_user.login);
END
$_$;


--
-- Name: applications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.applications (
    id text NOT NULL,
    alliance text NOT NULL,
    hospital text NOT NULL,
    role text NOT NULL,
    status text NOT NULL,
    facts jsonb NOT NULL,
    criteria_version integer NOT NULL,
    evaluation jsonb NOT NULL,
    decision_reason text,
    override text,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT applications_role_check CHECK ((role = ANY (ARRAY['core'::text, 'collaborating'::text, 'cooperating'::text, 'primary'::text]))),
    CONSTRAINT applications_status_check CHECK ((status = ANY (ARRAY['submitted'::text, 'approved'::text, 'rejected'::text, 'info_requested'::text, 'withdrawn'::text])))
);


--
-- Name: applications(text, text, text, text, integer); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.applications(application_id text, of_alliance text, of_status text, after_id text, lim integer) RETURNS SETOF public.applications
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
    RETURN QUERY SELECT * FROM applications x
    WHERE (application_id IS NULL OR x.id = application_id) AND (of_alliance IS NULL OR x.alliance = of_alliance)
      AND (of_status IS NULL OR x.status = of_status) AND (after_id IS NULL OR x.id > after_id)
      AND yilian_private.sees_membership(me.hospital, me.duty, x.alliance, x.hospital, false)
    ORDER BY x.id LIMIT least(greatest(coalesce(lim, 1000), 0), 1000);
END
$$;


--
-- Name: apply_for_membership(text, text, text, jsonb, integer, jsonb, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.apply_for_membership(alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamp with time zone, actor text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me     record;
    new_id text;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND apply_for_membership.hospital = me.hospital
                    AND yilian_api.may_name(apply_for_membership.actor, me.login, me.hospital, me.duty)
                    AND yilian_api.on_time(apply_for_membership.at), false) THEN
        RAISE EXCEPTION '% may not apply for %', me.login, apply_for_membership.hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM alliances a WHERE a.code = apply_for_membership.alliance AND a.status = 'active'
                   AND a.criteria_version = apply_for_membership.criteria_version)
       OR NOT coalesce(apply_for_membership.role <> 'core' AND jsonb_typeof(apply_for_membership.facts) = 'object'
                       AND (SELECT h.level FROM hospitals h WHERE h.code = apply_for_membership.hospital)
                           = yilian_api.required_level(apply_for_membership.role)
                       AND octet_length(apply_for_membership.facts::text) <= 65536
                       AND octet_length(apply_for_membership.evaluation::text) <= 1048576, false)
       OR EXISTS (SELECT FROM memberships m WHERE m.alliance = apply_for_membership.alliance AND m.hospital = apply_for_membership.hospital
                  AND m.status IN ('active', 'suspended')) THEN
        RAISE EXCEPTION 'an application is to an active alliance''s current criteria, by a hospital not a member, of the level its role requires' USING ERRCODE = 'check_violation';
    END IF;
    -- An open application of the same hospital is refused before a number is drawn: a sequence
    -- does not give back what a refused statement took, and application numbers skipped.
    IF EXISTS (SELECT FROM applications a WHERE a.alliance = apply_for_membership.alliance AND a.hospital = apply_for_membership.hospital
               AND a.status IN ('submitted', 'info_requested')) THEN
        RAISE EXCEPTION '% already has an open application to %', apply_for_membership.hospital, apply_for_membership.alliance
            USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO applications (id, alliance, hospital, role, status, facts, criteria_version, evaluation, created_at, updated_at)
    VALUES (yilian_private.numbered('A-', nextval('application_numbers')), apply_for_membership.alliance, apply_for_membership.hospital,
        apply_for_membership.role, 'submitted', apply_for_membership.facts, apply_for_membership.criteria_version,
        apply_for_membership.evaluation, apply_for_membership.at, apply_for_membership.at)
    RETURNING applications.id INTO new_id;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (apply_for_membership.alliance, apply_for_membership.hospital, new_id, 'apply', NULL, 'submitted', apply_for_membership.actor,
        apply_for_membership.at, NULL);
    RETURN new_id;
END
$$;


--
-- Name: is_outreach_patient(jsonb); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.is_outreach_patient(p jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
BEGIN
    RETURN CASE WHEN jsonb_typeof(p) = 'object' THEN coalesce(
        p - 'name' - 'sex' - 'birthDate' - 'phone' = '{}'::jsonb
        AND jsonb_typeof(p -> 'name') = 'string' AND length(p ->> 'name') <= 50
        AND regexp_replace(p ->> 'name', U&'[[:space:]\00A0\1680\180E\2000-\200F\2028-\202F\205F-\2064\3000\3164\FEFF\115F\1160\2800]', '', 'g') <> ''
        AND (p ->> 'name') !~ '[[:cntrl:]]'
        AND p ->> 'sex' IN ('male', 'female', 'unknown') AND jsonb_typeof(p -> 'birthDate') = 'string'
        AND yilian_private.calendar_date(p ->> 'birthDate') IS NOT NULL
        AND (NOT p ? 'phone' OR jsonb_typeof(p -> 'phone') = 'null'
             OR (jsonb_typeof(p -> 'phone') = 'string' AND (p ->> 'phone') ~ '^[0-9+ -]{3,20}$')), false)
        ELSE false END;
END
$_$;


--
-- Name: outreach_bookings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outreach_bookings (
    session text NOT NULL,
    number integer NOT NULL,
    patient jsonb NOT NULL,
    booked_by text NOT NULL,
    booked_at timestamp with time zone NOT NULL,
    cancelled_by text,
    cancelled_at timestamp with time zone,
    CONSTRAINT outreach_bookings_cancelled CHECK (((cancelled_by IS NULL) = (cancelled_at IS NULL))),
    CONSTRAINT outreach_bookings_number_check CHECK (((number >= 1) AND (number <= 10000))),
    CONSTRAINT outreach_bookings_patient_check CHECK (yilian_private.is_outreach_patient(patient))
);


--
-- Name: book_outreach(text, jsonb, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.book_outreach(session_id text, patient jsonb, at timestamp with time zone, actor text) RETURNS SETOF public.outreach_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    s       outreach_sessions := yilian_private.session_to_book(book_outreach.session_id, book_outreach.at, book_outreach.actor);
    booking outreach_bookings;
BEGIN
    IF s.booked >= s.capacity THEN
        PERFORM yilian_private.refuse_outreach('full');
    END IF;
    IF NOT yilian_private.is_outreach_patient(book_outreach.patient)
       OR yilian_private.calendar_date(book_outreach.patient ->> 'birthDate') > yilian_private.alliance_today(s.alliance, book_outreach.at) THEN
        PERFORM yilian_private.refuse_outreach('patient');
    END IF;
    UPDATE outreach_sessions x SET booked = x.booked + 1 WHERE x.id = s.id;
    INSERT INTO outreach_bookings (session, number, patient, booked_by, booked_at)
    VALUES (s.id, 1 + (SELECT count(*) FROM outreach_bookings b WHERE b.session = s.id), book_outreach.patient,
        book_outreach.actor, book_outreach.at)
    RETURNING * INTO booking;
    RETURN NEXT booking;
END
$$;


--
-- Name: burden(integer); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.burden(of_year integer) RETURNS TABLE(district text, specialty text, year integer, cases integer, incidence double precision, years integer[], unregistered text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$#variable_conflict use_column
DECLARE
    me     record;
    wanted integer;
    held   integer[];
    orphan text[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.duty IS DISTINCT FROM 'platform_admin' THEN
        RAISE EXCEPTION '% may not read the burden table', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    wanted := coalesce(of_year, (SELECT max(b.year) FROM public.burden b));
    held := ARRAY(SELECT DISTINCT b.year FROM public.burden b ORDER BY b.year);
    orphan := ARRAY(SELECT DISTINCT b.district FROM public.burden b
                    WHERE NOT EXISTS (SELECT FROM hospitals h WHERE h.district = b.district) ORDER BY b.district);
    RETURN QUERY SELECT b.district, b.specialty, b.year, b.cases, b.incidence, held, orphan FROM public.burden b WHERE b.year = wanted
    UNION ALL SELECT NULL, NULL, wanted, NULL, NULL, held, orphan
    ORDER BY 2 NULLS FIRST, 1;
END
$$;


--
-- Name: caller(); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.caller(OUT login text, OUT hospital text, OUT duty text) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    login := yilian_caller();
    IF login = 'yilian_platform' THEN
        hospital := 'admin';
        duty := 'platform_admin';
    ELSE
        SELECT u.hospital, u.duty INTO hospital, duty FROM users u WHERE u.login = caller.login AND u.enabled;
    END IF;
    IF hospital IS NULL AND NOT yilian_api.is_owner(login) THEN
        RAISE EXCEPTION 'not a registered, enabled user' USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;


--
-- Name: cancel_outreach(text, integer, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.cancel_outreach(session_id text, booking integer, at timestamp with time zone, actor text) RETURNS SETOF public.outreach_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    s         outreach_sessions := yilian_private.session_to_book(cancel_outreach.session_id, cancel_outreach.at, cancel_outreach.actor);
    cancelled outreach_bookings;
BEGIN
    UPDATE outreach_bookings b SET cancelled_by = cancel_outreach.actor, cancelled_at = cancel_outreach.at
    WHERE b.session = s.id AND b.number = cancel_outreach.booking AND b.cancelled_at IS NULL
    RETURNING * INTO cancelled;
    IF NOT FOUND THEN
        PERFORM yilian_private.refuse_outreach('no_booking');
    END IF;
    UPDATE outreach_sessions x SET booked = x.booked - 1 WHERE x.id = s.id;
    -- The answer shows the patient: a read, logged.
    PERFORM yilian_api.log_access(cancel_outreach.actor, 'outreach.cancel', ARRAY[s.id]);
    RETURN NEXT cancelled;
END
$$;


--
-- Name: change_membership(text, text, text, text, timestamp with time zone, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.change_membership(alliance text, hospital text, action text, status text, at timestamp with time zone, actor text, reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me     record;
    member memberships;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT (yilian_api.is_core_admin(me.hospital, me.duty, change_membership.alliance)
            AND yilian_api.may_name(change_membership.actor, me.login, me.hospital, me.duty) IS TRUE
            AND yilian_api.on_time(change_membership.at)) THEN
        RAISE EXCEPTION 'this change of %''s membership of % is not a move % may make', change_membership.hospital,
            change_membership.alliance, me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO member FROM memberships m WHERE m.alliance = change_membership.alliance AND m.hospital = change_membership.hospital
    FOR UPDATE;
    IF NOT FOUND OR member.role = 'core'
       OR NOT EXISTS (SELECT FROM membership_actions m WHERE m.action = change_membership.action AND m.from_status = member.status
                      AND m.to_status = change_membership.status) THEN
        RAISE EXCEPTION 'this change of %''s membership of % is not a move % may make', change_membership.hospital,
            change_membership.alliance, me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE memberships m SET status = change_membership.status, updated_at = change_membership.at
    WHERE m.alliance = member.alliance AND m.hospital = member.hospital;
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (member.alliance, member.hospital, NULL, change_membership.action, member.status, change_membership.status,
        change_membership.actor, change_membership.at, change_membership.reason);
END
$$;


--
-- Name: claim_key(text, text, jsonb); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.claim_key(key text, method text, params jsonb, OUT claimed boolean, OUT result text) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
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
    k  idempotency_keys;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.hospital IS NULL THEN
        RAISE EXCEPTION 'the owner claims no idempotency keys' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO idempotency_keys (hospital, key, method, digest, login)
    VALUES (me.hospital, claim_key.key, claim_key.method, sha256(convert_to(claim_key.params::text, 'UTF8')), me.login)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        claimed := true;
        RETURN;
    END IF;
    claimed := false;
    SELECT * INTO k FROM idempotency_keys i WHERE i.hospital = me.hospital AND i.key = claim_key.key FOR UPDATE;
    IF k.method = claim_key.method AND k.digest = sha256(convert_to(claim_key.params::text, 'UTF8'))
       AND k.login IS NOT DISTINCT FROM me.login THEN
        result := k.result;
    END IF;
END
$$;


--
-- Name: complete_key(text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.complete_key(key text, result text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
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
    UPDATE idempotency_keys i SET result = complete_key.result
    WHERE i.hospital = me.hospital AND i.key = complete_key.key AND i.login = me.login AND i.result IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no claim of key % by % waits for its result', complete_key.key, me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;


--
-- Name: is_sender_identifier(jsonb); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.is_sender_identifier(identifier jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
BEGIN
    RETURN CASE WHEN jsonb_typeof(identifier) = 'object' THEN coalesce(
        identifier - 'system' - 'value' = '{}'::jsonb
        AND jsonb_typeof(identifier -> 'system') = 'string' AND jsonb_typeof(identifier -> 'value') = 'string'
        AND (identifier ->> 'system') ~ '^[!-{}~]{1,120}$' AND (identifier ->> 'value') ~ '^[!-~]{1,64}$'
        AND lower(identifier ->> 'system') NOT LIKE 'urn:yilian:%' AND (identifier ->> 'system') <> 'urn:oid:2.16.156.10011.1.3', false)
        ELSE false END;
END
$_$;


--
-- Name: consultations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consultations (
    id text NOT NULL,
    alliance text NOT NULL,
    specialty text NOT NULL,
    from_hospital text NOT NULL,
    to_hospital text NOT NULL,
    mode text NOT NULL,
    priority text NOT NULL,
    patient jsonb NOT NULL,
    consent boolean NOT NULL,
    diagnosis jsonb NOT NULL,
    question text NOT NULL,
    attachments jsonb DEFAULT '[]'::jsonb NOT NULL,
    referral text,
    scheduled_at timestamp with time zone,
    opinions jsonb DEFAULT '[]'::jsonb NOT NULL,
    conclusion text,
    converted_to text,
    decline_code text,
    status text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    respond_by timestamp with time zone NOT NULL,
    first_response_at timestamp with time zone,
    answered_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    patient_key text,
    id_entered boolean DEFAULT false NOT NULL,
    sender_identifier jsonb,
    CONSTRAINT consultations_check CHECK ((to_hospital <> from_hospital)),
    CONSTRAINT consultations_consent_check CHECK (consent),
    CONSTRAINT consultations_mode_check CHECK ((mode = ANY (ARRAY['advice'::text, 'remote'::text, 'mdt'::text]))),
    CONSTRAINT consultations_priority_check CHECK ((priority = ANY (ARRAY['routine'::text, 'urgent'::text, 'emergency'::text]))),
    CONSTRAINT consultations_sender_identifier_check CHECK (((sender_identifier IS NULL) OR yilian_private.is_sender_identifier(sender_identifier))),
    CONSTRAINT consultations_status_check CHECK ((status = ANY (ARRAY['requested'::text, 'accepted'::text, 'declined'::text, 'scheduled'::text, 'answered'::text, 'closed'::text, 'cancelled'::text, 'expired'::text])))
);


--
-- Name: consultation(text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.consultation(actor text, method text, consultation_id text) RETURNS SETOF public.consultations
    LANGUAGE plpgsql SECURITY DEFINER
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
    c  consultations;
BEGIN
    IF NOT yilian_api.reads_as('consultation', method) THEN
        RAISE EXCEPTION 'a consultation is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    SELECT * INTO c FROM consultations x WHERE x.id = consultation_id AND yilian_api.sees(me.hospital, ARRAY[x.from_hospital, x.to_hospital]);
    IF FOUND THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[c.id]);
        RETURN NEXT yilian_api.unkeyed(c);
    END IF;
END
$$;


--
-- Name: consultation_action(text, text, integer, text, timestamp with time zone, text, text, timestamp with time zone, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text) RETURNS TABLE(refusal text, refusal_code text, consultation public.consultations)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $_$
BEGIN
    RETURN QUERY SELECT NULL::text, NULL::text, x FROM yilian_private.consultation_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) x;
EXCEPTION
    WHEN insufficient_privilege OR check_violation OR not_null_violation OR SQLSTATE 'YL003' THEN
        RETURN QUERY SELECT SQLERRM, SQLSTATE, x
        FROM yilian_api.consultation(CASE WHEN $4 = 'system' THEN NULL ELSE $4 END,
                                     'consultation.' || CASE WHEN $4 = 'system' THEN 'sweep' ELSE $2 END, $1) x;
    WHEN integrity_constraint_violation THEN
        -- Without the detail, which quotes the row.
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;


--
-- Name: consultation_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consultation_events (
    consultation text NOT NULL,
    seq integer NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor text NOT NULL,
    at timestamp with time zone NOT NULL,
    reason text,
    details jsonb
);


--
-- Name: consultation_events(text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.consultation_events(actor text, method text, consultation_id text) RETURNS SETOF public.consultation_events
    LANGUAGE plpgsql SECURITY DEFINER
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
    IF NOT yilian_api.reads_as('consultation', method) THEN
        RAISE EXCEPTION 'a consultation is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    IF EXISTS (SELECT FROM consultations x WHERE x.id = consultation_id AND yilian_api.sees(me.hospital, ARRAY[x.from_hospital, x.to_hospital])) THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[consultation_id]);
        RETURN QUERY SELECT * FROM consultation_events e WHERE e.consultation = consultation_id ORDER BY e.seq;
    END IF;
END
$$;


--
-- Name: consultations(text, text, text, text[], text, integer, boolean); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.consultations(actor text, method text, hospital text, statuses text[], after text, lim integer, open_only boolean) RETURNS TABLE(total bigint, consultation public.consultations)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me    record;
    item  record;
    shown text[] := '{}';
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) OR (open_only AND consultations.hospital IS DISTINCT FROM me.hospital)
       OR NOT coalesce(method = 'worklist.get' AND open_only OR method = 'consultation.list' AND NOT open_only, false) THEN
        RAISE EXCEPTION 'consultations are listed a page at a time, the open ones of one''s own hospital for its worklist'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF open_only THEN
        FOR item IN
            SELECT count(*) OVER () AS n, c FROM consultations c
            WHERE consultations.hospital IN (c.from_hospital, c.to_hospital) AND c.status IN ('requested', 'accepted', 'scheduled', 'answered')
            ORDER BY (c.to_hospital = consultations.hospital AND c.status = 'requested') DESC, c.respond_by, c.id LIMIT lim
        LOOP
            total := item.n;
            consultation := yilian_api.unkeyed(item.c);
            shown := shown || consultation.id;
            RETURN NEXT;
        END LOOP;
    ELSE
        FOR item IN
            SELECT 0::bigint AS n, c FROM consultations c
            WHERE yilian_api.sees(me.hospital, ARRAY[c.from_hospital, c.to_hospital])
              AND (consultations.hospital IS NULL OR consultations.hospital IN (c.from_hospital, c.to_hospital))
              AND (statuses IS NULL OR c.status = ANY (statuses)) AND (after IS NULL OR c.id > after)
            ORDER BY c.id LIMIT lim
        LOOP
            total := item.n;
            consultation := yilian_api.unkeyed(item.c);
            shown := shown || consultation.id;
            RETURN NEXT;
        END LOOP;
    END IF;
    PERFORM yilian_api.log_access(actor, method, shown);
END
$$;


--
-- Name: continuations(text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.continuations(referral_id text) RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT x.id FROM referrals x, yilian_api.caller() me
    WHERE x.parent = referral_id AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital])
    ORDER BY x.id;
END
$$;


--
-- Name: create_alliance(text, text, text, text, integer, integer, integer, text, integer, text, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.create_alliance(code text, name text, specialty text, core text, emergency_hours integer, urgent_hours integer, routine_hours integer, time_zone text, slot_lead_days integer, slot_rule text, at timestamp with time zone, actor text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
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
    IF NOT coalesce(me.duty = 'platform_admin' AND create_alliance.actor = me.login AND yilian_api.on_time(create_alliance.at), false) THEN
        RAISE EXCEPTION '% may not create alliances', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM hospitals h WHERE h.code = create_alliance.core AND h.level = 3) THEN
        RAISE EXCEPTION 'the core hospital is a registered tertiary hospital' USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO alliances (code, name, specialty, core, emergency_hours, urgent_hours, routine_hours, time_zone, slot_lead_days, slot_rule,
        created_at)
    VALUES (create_alliance.code, create_alliance.name, create_alliance.specialty, create_alliance.core, create_alliance.emergency_hours,
        create_alliance.urgent_hours, create_alliance.routine_hours, create_alliance.time_zone, create_alliance.slot_lead_days,
        create_alliance.slot_rule, create_alliance.at);
    INSERT INTO memberships (alliance, hospital, role, status, since, updated_at)
    VALUES (create_alliance.code, create_alliance.core, 'core', 'active', create_alliance.at, create_alliance.at);
    INSERT INTO membership_events (alliance, hospital, application, action, from_status, to_status, actor, at, reason)
    VALUES (create_alliance.code, create_alliance.core, NULL, 'create', NULL, 'active', create_alliance.actor, create_alliance.at,
        'core hospital');
END
$$;


--
-- Name: disable_user(text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.disable_user(login text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me     record;
    target users;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    SELECT * INTO target FROM users u WHERE u.login = disable_user.login;
    IF NOT FOUND OR NOT coalesce(me.duty = 'platform_admin' OR target.hospital = me.hospital, false) THEN
        RETURN false;
    END IF;
    IF NOT coalesce(me.duty = 'platform_admin' OR (me.duty = 'hospital_admin' AND target.duty <> 'platform_admin'), false) THEN
        RAISE EXCEPTION '% may not disable %', me.login, target.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE users u SET enabled = false WHERE u.login = target.login;
    PERFORM yilian_sync_login(target.login);
    RETURN true;
END
$$;


--
-- Name: display_name(text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.display_name(login text) RETURNS text
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
    me     record;
    person record;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    SELECT u.hospital, u.display_name AS shown INTO person FROM users u WHERE u.login = display_name.login;
    IF person.shown IS NULL THEN
        RETURN NULL;
    END IF;
    IF me.duty = 'platform_admin' OR person.hospital = me.hospital
       OR EXISTS (SELECT FROM memberships mine JOIN memberships theirs ON theirs.alliance = mine.alliance
                  WHERE mine.hospital = me.hospital AND mine.status = 'active'
                    AND theirs.hospital = person.hospital AND theirs.status = 'active') THEN
        RETURN person.shown;
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: due(timestamp with time zone); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.due(at timestamp with time zone) RETURNS TABLE(kind text, id text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$#variable_conflict use_column
BEGIN
    RETURN QUERY (SELECT 'referral', r.id FROM referrals r, yilian_api.caller() me
     WHERE ((r.status = 'requested' AND r.respond_by <= at) OR (r.status = 'info_requested' AND r.info_requested_at + interval '7 days' <= at))
       AND yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
     ORDER BY r.id)
    UNION ALL
    (SELECT 'consultation', c.id FROM consultations c, yilian_api.caller() me
     WHERE c.status IN ('requested', 'accepted') AND c.respond_by + (c.respond_by - c.created_at) <= at
       AND yilian_api.sees(me.hospital, ARRAY[c.from_hospital, c.to_hospital])
     ORDER BY c.id);
END
$$;


--
-- Name: feed(text, bigint, integer); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.feed(actor text, since bigint, lim integer) RETURNS TABLE(number bigint, kind text, id text, action text, from_status text, to_status text, actor_tag text, at timestamp with time zone, priority text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me   record;
    read text[] := '{}';
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'the feed is read 1 to 1001 events at a time' USING ERRCODE = 'check_violation';
    END IF;
    FOR number, kind, id, action, from_status, to_status, actor_tag, at, priority IN
        SELECT f.number, f.kind, f.id, f.action, f.from_status, f.to_status, f.actor, f.at, f.priority FROM feed f
        WHERE f.number > since AND yilian_api.sees(me.hospital, f.hospitals) ORDER BY f.number LIMIT lim
    LOOP
        IF kind <> 'membership' THEN
            read := read || id;
        END IF;
        RETURN NEXT;
    END LOOP;
    PERFORM yilian_api.log_access(actor, 'events.list', ARRAY(SELECT DISTINCT s FROM unnest(read) s ORDER BY s));
END
$$;


--
-- Name: file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamp with time zone, timestamp with time zone, text, text, jsonb, text, jsonb, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, sender_identifier jsonb, outreach text) RETURNS text
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
    -- Only after the filing's own checks of the caller: before them, whether a patient is booked
    -- answered anyone who asked.
    IF EXISTS (SELECT FROM outreach_sessions s WHERE s.id = $21 AND s.date > yilian_private.alliance_today(s.alliance, $15)) THEN
        PERFORM yilian_private.refuse_outreach('session_ahead');
    END IF;
    IF $21 IS NOT NULL AND NOT EXISTS (
            SELECT FROM outreach_sessions s JOIN outreach_bookings b ON b.session = s.id
            WHERE s.id = $21 AND s.alliance = $1 AND s.site = $5 AND split_part(s.expert, '@', 2) = $6 AND $2 = 'up'
              AND b.cancelled_at IS NULL AND btrim(b.patient ->> 'name') = btrim($7 ->> 'name') AND b.patient ->> 'sex' = $7 ->> 'sex'
              AND b.patient ->> 'birthDate' = $7 ->> 'birthDate') THEN
        PERFORM yilian_private.refuse_outreach('not_booked');
    END IF;
    IF $20 IS NOT NULL THEN
        UPDATE referrals r SET sender_identifier = $20 WHERE r.id = new_id;
        INSERT INTO sender_identifiers VALUES ($5, $20 ->> 'system', $20 ->> 'value', new_id);
    END IF;
    IF $21 IS NOT NULL THEN
        UPDATE referrals r SET outreach = $21 WHERE r.id = new_id;
    END IF;
    RETURN new_id;
EXCEPTION WHEN integrity_constraint_violation THEN
    -- Without the detail, which quotes the row.
    RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;


--
-- Name: import_burden(text[], text[], integer[], integer[], double precision[], timestamp with time zone); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.import_burden(districts text[], specialties text[], years integer[], cases integer[], incidences double precision[], at timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me       record;
    imported integer;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty = 'platform_admin' AND yilian_api.on_time(import_burden.at), false) THEN
        RAISE EXCEPTION '% may not import the burden table', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(cardinality(import_burden.districts) <= 1000000 AND cardinality(import_burden.specialties) = cardinality(import_burden.districts)
                    AND cardinality(import_burden.years) = cardinality(import_burden.districts)
                    AND cardinality(import_burden.cases) = cardinality(import_burden.districts)
                    AND cardinality(import_burden.incidences) = cardinality(import_burden.districts), false) THEN
        RAISE EXCEPTION 'a burden table is at most a million rows, each with a value in every column array' USING ERRCODE = 'check_violation';
    END IF;
    -- One import at a time: two of the same year would otherwise meet on the key.
    LOCK TABLE burden IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM burden b WHERE b.year IN (SELECT DISTINCT y FROM unnest(import_burden.years) y);
    INSERT INTO burden (district, specialty, year, cases, incidence, imported_by, imported_at)
    SELECT t.district, t.specialty, t.year, t.cases, t.incidence, me.login, import_burden.at
    FROM unnest(import_burden.districts, import_burden.specialties, import_burden.years, import_burden.cases, import_burden.incidences)
        AS t(district, specialty, year, cases, incidence);
    GET DIAGNOSTICS imported = ROW_COUNT;
    RETURN imported;
END
$$;


--
-- Name: is_core_admin(text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.is_core_admin(me_hospital text, me_duty text, alliance text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$#variable_conflict use_column
BEGIN
    RETURN coalesce(me_duty = 'hospital_admin' AND EXISTS (SELECT FROM alliances a WHERE a.code = $3 AND a.core = me_hospital), false);
END
$_$;


--
-- Name: is_owner(text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.is_owner(login text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(login = (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'yilian_api'), false);
END
$$;


--
-- Name: latest_facts(text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.latest_facts(of_alliance text, of_hospital text) RETURNS jsonb
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
    IF NOT yilian_private.sees_membership(me.hospital, me.duty, of_alliance, of_hospital, false) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT x.facts FROM applications x WHERE x.alliance = of_alliance AND x.hospital = of_hospital
            ORDER BY x.created_at DESC, x.id DESC LIMIT 1);
END
$$;


--
-- Name: log_access(text, text, text[]); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.log_access(actor text, method text, referrals text[]) RETURNS void
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
    me    record;
    who   text;
    hint  text := current_setting('yilian.access_row', true);
    row   access_log;
    added bigint;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF me.hospital IS NULL OR coalesce(cardinality(log_access.referrals), 0) = 0 THEN
        RETURN;
    END IF;
    who := coalesce(log_access.actor, me.login);
    IF NOT coalesce(yilian_api.may_read_for(who, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not read in the name of %', me.login, who USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(length(log_access.method) <= 64 AND log_access.method ~ '^[a-z]+\.[a-zA-Z]+$', false) THEN
        RAISE EXCEPTION 'a read is logged with the name of its method' USING ERRCODE = 'check_violation';
    END IF;
    -- The row is found by the number this transaction noted (a user may set the setting: a
    -- wrong one finds no row of this transaction, login, actor and method, and a new row is written).
    IF hint ~ '^[0-9]{1,18}$' THEN
        SELECT * INTO row FROM access_log l WHERE l.seq = hint::bigint AND l.xact = pg_current_xact_id()
            AND l.login = me.login AND l.actor = who AND l.method = log_access.method;
        IF FOUND THEN
            IF NOT row.referrals @> log_access.referrals THEN
                UPDATE access_log l SET referrals = ARRAY(
                    SELECT x FROM unnest(row.referrals || log_access.referrals) WITH ORDINALITY t(x, n) GROUP BY x ORDER BY min(n))
                WHERE l.seq = row.seq;
            END IF;
            RETURN;
        END IF;
    END IF;
    INSERT INTO access_log (at, login, actor, hospital, method, referrals, xact)
    VALUES (clock_timestamp(), me.login, who, me.hospital, log_access.method,
            ARRAY(SELECT x FROM unnest(log_access.referrals) WITH ORDINALITY t(x, n) GROUP BY x ORDER BY min(n)), pg_current_xact_id())
    RETURNING seq INTO added;
    PERFORM set_config('yilian.access_row', added::text, true);
END
$_$;


--
-- Name: may_act_for(text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.may_act_for(actor text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(yilian_api.may_read_for(actor, c.login, c.hospital, c.duty), false) FROM yilian_api.caller() c;
END
$$;


--
-- Name: may_name(text, text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.may_name(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN coalesce(actor = caller_login
                    OR (yilian_api.may_read_for(actor, caller_login, caller_hospital, caller_duty)
                        AND EXISTS (SELECT FROM users u WHERE u.login = actor
                                    AND u.duty IN ('coordinator', 'hospital_admin', 'integration'))), false);
END
$$;


--
-- Name: may_read_for(text, text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.may_read_for(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN actor = caller_login
        OR (caller_duty = 'integration' AND split_part(actor, '@', 2) = caller_hospital
            AND EXISTS (SELECT FROM users u WHERE u.login = actor AND u.hospital = caller_hospital AND u.enabled));
END
$$;


--
-- Name: membership_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.membership_events (
    seq bigint NOT NULL,
    alliance text NOT NULL,
    hospital text NOT NULL,
    application text,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor text NOT NULL,
    at timestamp with time zone NOT NULL,
    reason text,
    details jsonb
);


--
-- Name: membership_history(text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.membership_history(of_alliance text, of_hospital text) RETURNS SETOF public.membership_events
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
    IF yilian_private.sees_membership(me.hospital, me.duty, of_alliance, of_hospital, true) THEN
        RETURN QUERY SELECT * FROM membership_events e WHERE e.alliance = of_alliance AND e.hospital = of_hospital ORDER BY e.seq;
    END IF;
END
$$;


--
-- Name: named_duty(text, text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.named_duty(actor text, caller_login text, caller_hospital text, caller_duty text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF actor = caller_login THEN
        RETURN caller_duty;
    END IF;
    IF NOT coalesce(yilian_api.may_read_for(actor, caller_login, caller_hospital, caller_duty), false) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT u.duty FROM users u WHERE u.login = actor AND u.enabled);
END
$$;


--
-- Name: on_time(timestamp with time zone); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.on_time(at timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN coalesce(yilian_api.is_owner(session_user)
                    OR at BETWEEN statement_timestamp() - interval '5 minutes' AND statement_timestamp() + interval '5 minutes', false);
END
$$;


--
-- Name: open_referrals(text, text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.open_referrals(name text, sex text, birth_date text, id_number text) RETURNS TABLE(id text, from_hospital text, to_hospital text)
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
    me     record;
    key    text;
    masked text := yilian_masked_id(id_number);
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF position('*' IN id_number) = 0 THEN
        key := yilian_visible_patient_key(id_number);
    END IF;
    -- Only the caller's own referrals, each lookup along an index whose condition holds the
    -- caller's hospital: nothing of another hospital's is read (the duplicate rule asks about the
    -- sender's own referrals; the sender is the caller).
    IF key IS NOT NULL THEN
        RETURN QUERY SELECT r.id, r.from_hospital, r.to_hospital FROM referrals r
        WHERE (r.patient_key || '|' || r.from_hospital) = key || '|' || me.hospital AND r.id_entered
          AND r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed');
    END IF;
    -- Without an ID on either side, the same person is the same name, sex and birth date (SPEC §2):
    -- a filing without one meets the sender's open referrals with or without one.
    -- The name indexes hold name, birth date (and masked ID) and hospital as one value, compared
    -- first on its own (MATERIALIZED: else PostgreSQL may take referrals_outgoing_open and read
    -- the caller's referrals one by one), then field by field, which, the lengths being equal,
    -- settles the hospital too.
    RETURN QUERY WITH found AS MATERIALIZED (
        SELECT r.id, r.from_hospital, r.to_hospital, r.patient FROM referrals r
        WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed')
          AND (r.patient_key IS NULL OR open_referrals.id_number IS NULL)
          AND ((r.patient->>'name') || '|' || (r.patient->>'birthDate') || '|' || r.from_hospital)
              = open_referrals.name || '|' || birth_date || '|' || me.hospital)
    SELECT f.id, f.from_hospital, f.to_hospital FROM found f
    WHERE f.patient->>'name' = open_referrals.name AND f.patient->>'birthDate' = birth_date AND f.patient->>'sex' = sex;
    IF masked IS NOT NULL THEN
        RETURN QUERY WITH found AS MATERIALIZED (
            SELECT r.id, r.from_hospital, r.to_hospital, r.patient FROM referrals r
            WHERE r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed') AND r.patient_key IS NOT NULL
              AND ((r.patient->>'name') || '|' || (r.patient->>'birthDate') || '|' || (r.patient->>'idNumber') || '|' || r.from_hospital)
                  = open_referrals.name || '|' || birth_date || '|' || upper(masked) || '|' || me.hospital)
        SELECT f.id, f.from_hospital, f.to_hospital FROM found f
        WHERE f.patient->>'name' = open_referrals.name AND f.patient->>'birthDate' = birth_date AND f.patient->>'sex' = sex
          AND f.patient->>'idNumber' = upper(masked);
    END IF;
END
$$;


--
-- Name: outreach_bookings(text, text, text[]); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.outreach_bookings(actor text, method text, session_ids text[]) RETURNS SETOF public.outreach_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me    record;
    shown text[];
BEGIN
    IF NOT coalesce(method = 'outreach.list' AND cardinality(session_ids) <= 1000, false) THEN
        RAISE EXCEPTION 'bookings are read by outreach.list, at most 1000 sessions at once' USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    SELECT array_agg(s.id ORDER BY s.id) INTO shown FROM outreach_sessions s
    WHERE s.id = ANY (session_ids) AND yilian_api.sees(me.hospital, ARRAY[s.site, split_part(s.expert, '@', 2)])
      AND EXISTS (SELECT FROM outreach_bookings b WHERE b.session = s.id);
    IF shown IS NOT NULL THEN
        PERFORM yilian_api.log_access(actor, method, shown);
        RETURN QUERY SELECT * FROM outreach_bookings b WHERE b.session = ANY (shown) ORDER BY b.session, b.number;
    END IF;
END
$$;


--
-- Name: outreach_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outreach_sessions (
    id text NOT NULL,
    alliance text NOT NULL,
    expert text NOT NULL,
    site text NOT NULL,
    specialty text NOT NULL,
    date date NOT NULL,
    kind text NOT NULL,
    capacity integer NOT NULL,
    booked integer DEFAULT 0 NOT NULL,
    published_by text NOT NULL,
    published_at timestamp with time zone NOT NULL,
    CONSTRAINT outreach_sessions_booked CHECK (((booked >= 0) AND (booked <= capacity))),
    CONSTRAINT outreach_sessions_capacity_check CHECK (((capacity >= 1) AND (capacity <= 200))),
    CONSTRAINT outreach_sessions_date_check CHECK (((date >= '1900-01-01'::date) AND (date <= '2200-12-31'::date))),
    CONSTRAINT outreach_sessions_kind_check CHECK ((kind = ANY (ARRAY['clinic'::text, 'ward_round'::text, 'teaching'::text])))
);


--
-- Name: publish_outreach(text, text, text, date, text, integer, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.publish_outreach(alliance text, expert text, site text, day date, kind text, capacity integer, at timestamp with time zone, actor text) RETURNS SETOF public.outreach_sessions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me      record;
    today   date := yilian_private.alliance_today(publish_outreach.alliance, publish_outreach.at);
    covered practice_records;
    created outreach_sessions;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(yilian_api.may_name(publish_outreach.actor, me.login, me.hospital, me.duty) AND yilian_api.on_time(publish_outreach.at), false) THEN
        RAISE EXCEPTION '% may not publish sessions as % at %', me.login, publish_outreach.actor, publish_outreach.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND me.hospital = split_part(publish_outreach.expert, '@', 2), false) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_coordinator');
    END IF;
    IF NOT EXISTS (SELECT FROM alliances a WHERE a.code = publish_outreach.alliance AND a.status = 'active') THEN
        PERFORM yilian_private.refuse_outreach('no_alliance');
    END IF;
    IF NOT yilian_private.sends_experts(publish_outreach.alliance, me.hospital) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_hospital');
    END IF;
    -- What the record cannot mend, said as itself: the site left, the expert disabled.
    IF NOT yilian_private.is_active_member(publish_outreach.alliance, publish_outreach.site) THEN
        PERFORM yilian_private.refuse_outreach('not_member_site');
    END IF;
    IF NOT EXISTS (SELECT FROM users u WHERE u.login = publish_outreach.expert AND u.duty = 'physician' AND u.enabled) THEN
        PERFORM yilian_private.refuse_outreach('not_physician');
    END IF;
    IF today IS NULL OR NOT coalesce(publish_outreach.day BETWEEN today AND (today + interval '1 year')::date, false) THEN
        PERFORM yilian_private.refuse_outreach('date');
    END IF;
    SELECT * INTO covered FROM practice_records p
    WHERE p.alliance = publish_outreach.alliance AND p.expert = publish_outreach.expert AND p.site = publish_outreach.site
      AND publish_outreach.day BETWEEN p.valid_from AND p.valid_until
    ORDER BY p.valid_until DESC LIMIT 1;
    IF NOT FOUND THEN
        PERFORM yilian_private.refuse_outreach('no_practice');
    END IF;
    INSERT INTO outreach_sessions (id, alliance, expert, site, specialty, date, kind, capacity, published_by, published_at)
    VALUES (yilian_private.numbered('O-', nextval('outreach_numbers')), publish_outreach.alliance, publish_outreach.expert,
        publish_outreach.site, covered.specialty, publish_outreach.day, publish_outreach.kind, publish_outreach.capacity,
        publish_outreach.actor, publish_outreach.at)
    RETURNING * INTO created;
    RETURN NEXT created;
END
$$;


--
-- Name: slots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.slots (
    hospital text NOT NULL,
    specialty text NOT NULL,
    date date NOT NULL,
    capacity integer NOT NULL,
    booked integer DEFAULT 0 NOT NULL,
    expert integer DEFAULT 0 NOT NULL,
    expert_booked integer DEFAULT 0 NOT NULL,
    total integer,
    early integer DEFAULT 0 NOT NULL,
    published_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT slots_capacity_check CHECK ((capacity >= 0)),
    CONSTRAINT slots_check CHECK (((booked >= 0) AND (booked <= capacity))),
    CONSTRAINT slots_early CHECK (((early >= 0) AND (early <= capacity))),
    CONSTRAINT slots_expert CHECK (((expert >= 0) AND (expert <= capacity) AND (expert_booked >= 0) AND (expert_booked <= expert) AND ((booked - expert_booked) <= (capacity - expert)))),
    CONSTRAINT slots_total CHECK (((total IS NULL) OR (total >= capacity)))
);


--
-- Name: publish_slots(text, text, date[], integer, integer, integer, timestamp with time zone); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.publish_slots(hospital text, specialty text, days date[], capacity integer, expert integer, total integer, at timestamp with time zone) RETURNS SETOF public.slots
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
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


--
-- Name: reads_as(text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.reads_as(kind text, method text) RETURNS boolean
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


--
-- Name: referrals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referrals (
    id text NOT NULL,
    alliance text NOT NULL,
    specialty text NOT NULL,
    direction text NOT NULL,
    setting text NOT NULL,
    priority text NOT NULL,
    from_hospital text NOT NULL,
    to_hospital text NOT NULL,
    patient jsonb NOT NULL,
    consent boolean NOT NULL,
    diagnosis jsonb NOT NULL,
    reason text NOT NULL,
    summary text,
    attachments jsonb DEFAULT '[]'::jsonb NOT NULL,
    parent text,
    status text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    respond_by timestamp with time zone NOT NULL,
    clock_start timestamp with time zone NOT NULL,
    info_requested_at timestamp with time zone,
    slot_date date,
    outcome jsonb,
    escalation integer DEFAULT 0 NOT NULL,
    first_response_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    reject_code text,
    scheduled_at timestamp with time zone,
    earlier_receivers text[] DEFAULT '{}'::text[] NOT NULL,
    patient_key text,
    slot_expert boolean DEFAULT false NOT NULL,
    consultation text,
    id_entered boolean DEFAULT false NOT NULL,
    sender_identifier jsonb,
    outreach text,
    CONSTRAINT referrals_check CHECK ((to_hospital <> from_hospital)),
    CONSTRAINT referrals_consent_check CHECK (consent),
    CONSTRAINT referrals_direction_check CHECK ((direction = ANY (ARRAY['up'::text, 'down'::text]))),
    CONSTRAINT referrals_priority_check CHECK ((priority = ANY (ARRAY['routine'::text, 'urgent'::text, 'emergency'::text]))),
    CONSTRAINT referrals_sender_identifier_check CHECK (((sender_identifier IS NULL) OR yilian_private.is_sender_identifier(sender_identifier))),
    CONSTRAINT referrals_setting_check CHECK ((setting = ANY (ARRAY['outpatient'::text, 'inpatient'::text]))),
    CONSTRAINT referrals_slot_date_years CHECK (((slot_date >= '1900-01-01'::date) AND (slot_date <= '2200-12-31'::date))),
    CONSTRAINT referrals_status_check CHECK ((status = ANY (ARRAY['requested'::text, 'info_requested'::text, 'accepted'::text, 'rejected'::text, 'scheduled'::text, 'in_treatment'::text, 'no_show'::text, 'completed'::text, 'closed'::text, 'cancelled'::text, 'expired'::text])))
);


--
-- Name: referral(text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.referral(actor text, method text, referral_id text) RETURNS SETOF public.referrals
    LANGUAGE plpgsql SECURITY DEFINER
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
    r  referrals;
BEGIN
    IF NOT yilian_api.reads_as('referral', method) THEN
        RAISE EXCEPTION 'a referral is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    SELECT * INTO r FROM referrals x
    WHERE x.id = referral_id AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital]);
    IF FOUND THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[r.id]);
        RETURN NEXT yilian_api.unkeyed(r);
    END IF;
END
$$;


--
-- Name: referral_action(text, text, integer, text, timestamp with time zone, text, text, text, date, boolean, jsonb); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb) RETURNS TABLE(refusal text, refusal_code text, referral public.referrals)
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
    written referrals;
BEGIN
    FOR written IN SELECT * FROM yilian_private.referral_action($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) LOOP
        SELECT r.attachments, r.outreach INTO written.attachments, written.outreach FROM referrals r WHERE r.id = written.id;
        RETURN QUERY SELECT NULL::text, NULL::text, written;
    END LOOP;
EXCEPTION
    WHEN insufficient_privilege OR check_violation OR not_null_violation OR SQLSTATE 'YL002' OR SQLSTATE 'YL003' OR SQLSTATE 'YL004' THEN
        RETURN QUERY SELECT SQLERRM, SQLSTATE, x
        FROM yilian_api.referral(CASE WHEN $4 = 'system' THEN NULL ELSE $4 END, 'referral.' || CASE WHEN $4 = 'system' THEN 'sweep' ELSE $2 END,
                                 $1) x;
    WHEN integrity_constraint_violation THEN
        -- Without the detail, which quotes the row.
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = SQLERRM;
END
$_$;


--
-- Name: referral_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referral_events (
    referral text NOT NULL,
    seq integer NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor text NOT NULL,
    at timestamp with time zone NOT NULL,
    reason text,
    details jsonb
);


--
-- Name: referral_events(text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.referral_events(actor text, method text, referral_id text) RETURNS SETOF public.referral_events
    LANGUAGE plpgsql SECURITY DEFINER
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
    IF NOT yilian_api.reads_as('referral', method) THEN
        RAISE EXCEPTION 'a referral is not read as %', left(method, 64) USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO me FROM yilian_api.caller();
    IF EXISTS (SELECT FROM referrals x WHERE x.id = referral_id
               AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital])) THEN
        PERFORM yilian_api.log_access(actor, method, ARRAY[referral_id]);
        RETURN QUERY SELECT * FROM referral_events e WHERE e.referral = referral_id ORDER BY e.seq;
    END IF;
END
$$;


--
-- Name: referrals(text, text, text, text, text[], text, text, boolean, timestamp with time zone, text, integer, text, text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.referrals(actor text, alliance text, hospital text, side text, statuses text[], direction text, priority text, overdue boolean, at timestamp with time zone, after text, lim integer, id_number text, name text, birth_date text) RETURNS SETOF public.referrals
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me    record;
    page  referrals[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'a page holds 1 to 1001 referrals' USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(array_agg(yilian_api.unkeyed(x.r) ORDER BY (x.r).id), '{}') INTO page FROM (
        SELECT r FROM referrals r
        WHERE yilian_api.sees(me.hospital, r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
          AND (referrals.alliance IS NULL OR r.alliance = referrals.alliance)
          AND (referrals.hospital IS NULL OR (side IN ('sender', 'any') AND r.from_hospital = referrals.hospital)
               OR (side IN ('receiver', 'any') AND r.to_hospital = referrals.hospital))
          AND (statuses IS NULL OR r.status = ANY (statuses))
          AND (referrals.direction IS NULL OR r.direction = referrals.direction)
          AND (referrals.priority IS NULL OR r.priority = referrals.priority)
          AND (overdue IS NULL OR (r.status = 'requested' AND r.respond_by < referrals.at) = overdue)
          AND (after IS NULL OR r.id > after)
          AND (id_number IS NULL OR ((r.patient_key || '|' || r.from_hospital) = (SELECT yilian_visible_patient_key(id_number)) || '|' || me.hospital
                                     AND r.id_entered))
          AND (referrals.name IS NULL AND birth_date IS NULL
               OR yilian_patient_seen_by(r.patient->>'name', r.patient->>'birthDate', r.earlier_receivers || ARRAY[r.from_hospital, r.to_hospital])
                  @> ARRAY[referrals.name || '|' || birth_date || '|' || coalesce(me.hospital, '')])
        ORDER BY r.id LIMIT lim) x;
    PERFORM yilian_api.log_access(actor, 'referral.list', ARRAY(SELECT (unnest(page)).id));
    RETURN QUERY SELECT * FROM unnest(page);
END
$$;


--
-- Name: register_hospitals(text[], text[], smallint[], text[], text[], text[], integer[], text[], jsonb[], timestamp with time zone); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.register_hospitals(codes text[], names text[], levels smallint[], grades text[], kinds text[], districts text[], beds integer[], departments text[], facts jsonb[], at timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
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
    IF NOT coalesce(me.duty = 'platform_admin' AND yilian_api.on_time(register_hospitals.at), false) THEN
        RAISE EXCEPTION '% may not register hospitals', me.login USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO hospitals (code, name, level, grade, kind, district, beds, departments, facts, created_at)
    SELECT t.code, t.name, t.level, t.grade, t.kind, t.district, t.beds,
           CASE WHEN t.departments = '' THEN '{}'::text[] ELSE string_to_array(t.departments, ';') END, t.facts, register_hospitals.at
    FROM unnest(register_hospitals.codes, register_hospitals.names, register_hospitals.levels, register_hospitals.grades,
                register_hospitals.kinds, register_hospitals.districts, register_hospitals.beds, register_hospitals.departments,
                register_hospitals.facts)
        AS t(code, name, level, grade, kind, district, beds, departments, facts);
END
$$;


--
-- Name: practice_records; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.practice_records (
    alliance text NOT NULL,
    expert text NOT NULL,
    title text NOT NULL,
    specialty text NOT NULL,
    site text NOT NULL,
    filing_number text NOT NULL,
    valid_from date NOT NULL,
    valid_until date NOT NULL,
    registered_by text NOT NULL,
    registered_at timestamp with time zone NOT NULL,
    CONSTRAINT practice_records_check CHECK (((valid_until >= valid_from) AND (valid_until <= (valid_from + 3650)))),
    CONSTRAINT practice_records_filing_number_check CHECK ((filing_number ~ '^[A-Z0-9-]{4,32}$'::text)),
    CONSTRAINT practice_records_title_check CHECK ((title = ANY (ARRAY['主任医师'::text, '副主任医师'::text, '主治医师'::text]))),
    CONSTRAINT practice_records_valid_from_check CHECK (((valid_from >= '1900-01-01'::date) AND (valid_from <= '2200-12-31'::date)))
);


--
-- Name: register_practice(text, text, text, text, text, text, date, date, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.register_practice(alliance text, expert text, title text, specialty text, site text, filing_number text, valid_from date, valid_until date, at timestamp with time zone, actor text) RETURNS SETOF public.practice_records
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me     record;
    home   text := split_part(register_practice.expert, '@', 2);
    filed  practice_records;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(register_practice.actor = me.login AND yilian_api.on_time(register_practice.at), false) THEN
        RAISE EXCEPTION '% may not register practice as % at %', me.login, register_practice.actor, register_practice.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM alliances a WHERE a.code = register_practice.alliance AND a.status = 'active') THEN
        PERFORM yilian_private.refuse_outreach('no_alliance');
    END IF;
    IF NOT coalesce(me.duty = 'hospital_admin' AND me.hospital = home, false) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_admin');
    END IF;
    IF NOT EXISTS (SELECT FROM users u WHERE u.login = register_practice.expert AND u.duty = 'physician' AND u.enabled) THEN
        PERFORM yilian_private.refuse_outreach('not_physician');
    END IF;
    IF NOT yilian_private.sends_experts(register_practice.alliance, home) THEN
        PERFORM yilian_private.refuse_outreach('not_expert_hospital');
    END IF;
    IF NOT EXISTS (SELECT FROM specialties x WHERE x.code = register_practice.specialty) THEN
        PERFORM yilian_private.refuse_outreach('specialty');
    END IF;
    IF register_practice.site = home OR NOT yilian_private.is_active_member(register_practice.alliance, register_practice.site) THEN
        PERFORM yilian_private.refuse_outreach('not_member_site');
    END IF;
    INSERT INTO practice_records VALUES (register_practice.alliance, register_practice.expert, register_practice.title,
        register_practice.specialty, register_practice.site, register_practice.filing_number, register_practice.valid_from,
        register_practice.valid_until, me.login, register_practice.at)
    RETURNING * INTO filed;
    RETURN NEXT filed;
EXCEPTION WHEN unique_violation THEN
    PERFORM yilian_private.refuse_outreach('duplicate');
END
$$;


--
-- Name: request_consultation(text, text, text, text, text, jsonb, boolean, jsonb, text, jsonb, text, timestamp with time zone, timestamp with time zone, text, jsonb); Type: FUNCTION; Schema: yilian_api; Owner: -
--

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


--
-- Name: required_level(text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.required_level(role text) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN CASE role WHEN 'core' THEN 3 WHEN 'collaborating' THEN 3 WHEN 'cooperating' THEN 2 WHEN 'primary' THEN 1 END;
END
$$;


--
-- Name: sees(text, text[]); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.sees(hospital text, parties text[]) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN hospital IS NULL OR hospital = ANY (parties);
END
$$;


--
-- Name: sent_case(text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

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


--
-- Name: set_criteria(text, jsonb, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.set_criteria(alliance text, document jsonb, at timestamp with time zone, actor text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me      record;
    version integer;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT (yilian_api.is_core_admin(me.hospital, me.duty, set_criteria.alliance) AND set_criteria.actor IS NOT DISTINCT FROM me.login
            AND yilian_api.on_time(set_criteria.at) AND jsonb_typeof(set_criteria.document) = 'object'
            AND octet_length(set_criteria.document::text) <= 1048576) THEN
        RAISE EXCEPTION '% may not set the criteria of %', me.login, set_criteria.alliance USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE alliances a SET criteria_version = a.criteria_version + 1 WHERE a.code = set_criteria.alliance
    RETURNING a.criteria_version INTO version;
    INSERT INTO criteria_versions (alliance, version, document, created_by, created_at)
    VALUES (set_criteria.alliance, version, set_criteria.document, set_criteria.actor, set_criteria.at);
    RETURN version;
END
$$;


--
-- Name: set_recognition(text, jsonb, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.set_recognition(alliance text, document jsonb, at timestamp with time zone, actor text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me      record;
    version integer;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT (yilian_api.is_core_admin(me.hospital, me.duty, set_recognition.alliance) AND set_recognition.actor IS NOT DISTINCT FROM me.login
            AND yilian_api.on_time(set_recognition.at)) THEN
        RAISE EXCEPTION '% may not set the recognition catalogue of %', me.login, set_recognition.alliance USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT yilian_private.is_recognition_catalogue(set_recognition.document) THEN
        RAISE EXCEPTION 'a recognition catalogue is {"items": [...]} as docs/recognition.md describes it' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE alliances a SET recognition_version = a.recognition_version + 1 WHERE a.code = set_recognition.alliance
    RETURNING a.recognition_version INTO version;
    INSERT INTO recognition_versions (alliance, version, document, created_by, created_at)
    VALUES (set_recognition.alliance, version, set_recognition.document, set_recognition.actor, set_recognition.at);
    RETURN version;
END
$$;


--
-- Name: slot_policy(text, text); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.slot_policy(hospital text, specialty text, OUT time_zone text, OUT lead_days integer) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    SELECT a.time_zone, a.slot_lead_days INTO slot_policy.time_zone, slot_policy.lead_days
    FROM alliances a JOIN memberships m ON m.alliance = a.code
    WHERE m.hospital = slot_policy.hospital AND a.specialty = slot_policy.specialty AND a.status = 'active'
    ORDER BY a.code LIMIT 1;
    time_zone := coalesce(time_zone, 'Asia/Shanghai');
    lead_days := coalesce(lead_days, 14);
END
$$;


--
-- Name: unkeyed(public.consultations); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.unkeyed(c public.consultations) RETURNS public.consultations
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN jsonb_populate_record(c, '{"patient_key": null}');
END
$$;


--
-- Name: unkeyed(public.referrals); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.unkeyed(r public.referrals) RETURNS public.referrals
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$#variable_conflict use_column
BEGIN
    RETURN jsonb_populate_record(r, '{"patient_key": null}');
END
$$;


--
-- Name: worklist(text, text, timestamp with time zone, integer); Type: FUNCTION; Schema: yilian_api; Owner: -
--

CREATE FUNCTION yilian_api.worklist(actor text, hospital text, at timestamp with time zone, lim integer) RETURNS TABLE(section text, referral public.referrals)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me    record;
    item  record;
    shown text[] := '{}';
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF worklist.hospital IS DISTINCT FROM me.hospital OR NOT coalesce(lim BETWEEN 1 AND 1001, false) THEN
        RAISE EXCEPTION 'only a hospital''s own worklist is read, a page at a time' USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR item IN
        (SELECT 'incoming' AS name, r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status IN ('requested', 'info_requested')
         ORDER BY (r.priority = 'emergency') DESC, r.respond_by, r.id LIMIT lim)
        UNION ALL
        (SELECT 'outgoing', r FROM referrals r WHERE r.from_hospital = worklist.hospital
             AND r.status IN ('requested', 'info_requested', 'accepted', 'scheduled', 'in_treatment', 'completed')
         ORDER BY r.id LIMIT lim)
        UNION ALL
        (SELECT 'overdue', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'requested' AND r.respond_by < at
         ORDER BY r.respond_by, r.id LIMIT lim)
        UNION ALL
        (SELECT 'toSchedule', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'accepted'
         ORDER BY (r.priority = 'emergency') DESC, r.id LIMIT lim)
        UNION ALL
        (SELECT 'expected', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'scheduled'
         ORDER BY r.slot_date, r.id LIMIT lim)
        UNION ALL
        (SELECT 'inTreatment', r FROM referrals r WHERE r.to_hospital = worklist.hospital AND r.status = 'in_treatment'
         ORDER BY r.id LIMIT lim)
        UNION ALL
        (SELECT 'toAcknowledge', r FROM referrals r WHERE r.from_hospital = worklist.hospital AND r.status = 'completed'
         ORDER BY r.updated_at, r.id LIMIT lim)
    LOOP
        section := item.name;
        referral := yilian_api.unkeyed(item.r);
        shown := shown || referral.id;
        RETURN NEXT;
    END LOOP;
    PERFORM yilian_api.log_access(actor, 'worklist.get', ARRAY(SELECT DISTINCT s FROM unnest(shown) s ORDER BY s));
END
$$;


--
-- Name: alliance_today(text, timestamp with time zone); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.alliance_today(alliance text, at timestamp with time zone) RETURNS date
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN (SELECT (alliance_today.at AT TIME ZONE a.time_zone)::date FROM alliances a WHERE a.code = alliance_today.alliance);
END
$$;


--
-- Name: appointment_not_past(); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.appointment_not_past() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NEW.slot_date IS DISTINCT FROM OLD.slot_date AND NEW.slot_date < (
           SELECT (NEW.updated_at AT TIME ZONE a.time_zone)::date FROM alliances a WHERE a.code = NEW.alliance) THEN
        RAISE EXCEPTION 'an appointment of % is not set before today', NEW.id USING ERRCODE = 'YL004';
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: calendar_date(text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.calendar_date(value text) RETURNS date
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
BEGIN
    IF value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' OR value NOT BETWEEN '1900-01-01' AND '2200-12-31' THEN
        RETURN NULL;
    END IF;
    RETURN value::date;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RETURN NULL;
END
$_$;


--
-- Name: consultation_action(text, text, integer, text, timestamp with time zone, text, text, timestamp with time zone, text, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text) RETURNS SETOF public.consultations
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET lock_timeout TO '5s'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me      record;
    c       consultations;
    after   consultations;
    move    consultation_actions;
    party   text;
    named   text;
    said    text := consultation_action.reason;
    details jsonb;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Whose name the action is in: the caller's, or a user of its hospital an integration names,
    -- who must have a duty that may make the move (yilian_api.named_duty).
    named := yilian_api.named_duty(consultation_action.actor, me.login, me.hospital, me.duty);
    -- Not one the caller may see (the owner: any): nothing. Looked at before it is locked.
    IF NOT EXISTS (SELECT FROM consultations x WHERE x.id = consultation_id
                   AND (me.hospital IS NULL OR me.hospital IN (x.from_hospital, x.to_hospital))) THEN
        RETURN;
    END IF;
    SELECT * INTO c FROM consultations WHERE id = consultation_id FOR UPDATE;
    IF expected_version IS NOT NULL AND c.version <> expected_version THEN
        RAISE EXCEPTION 'consultation % is at version %, not %', c.id, c.version, expected_version USING ERRCODE = 'YL003';
    END IF;
    IF consultation_action.actor = 'system' THEN
        party := 'system';
    ELSE
        party := CASE me.hospital WHEN c.from_hospital THEN 'requester' WHEN c.to_hospital THEN 'consultant' END;
    END IF;
    SELECT * INTO move FROM consultation_actions m
    WHERE m.action = consultation_action.action AND m.from_status = c.status AND m.side = party AND c.mode = ANY (m.modes);
    -- A coordinator (hospital administrator, integration) takes any move of its side, a physician
    -- of the consultant only an opinion, for the caller and for the user it names; the system's
    -- moves by a user only past twice the response window (the owner's sweep runs on the clock it
    -- is given). Every test is coalesced: a NULL would let the move through.
    IF NOT FOUND
       OR (party = 'system' AND NOT coalesce(me.hospital IS NULL OR (me.duty IN ('coordinator', 'hospital_admin', 'integration')
                                                                      AND c.respond_by + (c.respond_by - c.created_at) <= now()), false))
       OR (party <> 'system' AND NOT coalesce(
               (me.duty IN ('coordinator', 'hospital_admin', 'integration') OR (me.duty = 'physician' AND move.action = 'opine'))
               AND (named IN ('coordinator', 'hospital_admin', 'integration') OR (named = 'physician' AND move.action = 'opine')), false)) THEN
        RAISE EXCEPTION 'this change of consultation % is not a move its % may make', c.id, coalesce(party, 'reader')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(yilian_api.on_time(consultation_action.at), false) THEN
        RAISE EXCEPTION 'the time of % on consultation % is not now', consultation_action.action, c.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Only what the action carries.
    IF (said IS NOT NULL AND consultation_action.action NOT IN ('accept', 'decline', 'opine', 'conclude', 'cancel'))
       OR (consultation_action.decline_code IS NOT NULL AND consultation_action.action <> 'decline')
       OR (consultation_action.scheduled_at IS NOT NULL AND consultation_action.action <> 'schedule')
       OR (consultation_action.recommendation IS NOT NULL AND consultation_action.action <> 'opine')
       OR (consultation_action.converted_to IS NOT NULL AND consultation_action.action <> 'convert') THEN
        RAISE EXCEPTION '% carries only what it changes', consultation_action.action USING ERRCODE = 'check_violation';
    END IF;
    IF consultation_action.action IN ('opine', 'conclude', 'cancel') AND coalesce(btrim(said), '') = '' THEN
        RAISE EXCEPTION 'a % says what', consultation_action.action USING ERRCODE = 'check_violation';
    END IF;
    after := c;
    IF party = 'consultant' AND c.first_response_at IS NULL THEN
        after.first_response_at := at;
    END IF;
    CASE consultation_action.action
    WHEN 'decline' THEN
        IF decline_code IS NULL OR decline_code NOT IN ('outside_scope', 'insufficient_information', 'no_capacity', 'refer_instead', 'other')
           OR (decline_code = 'other' AND coalesce(btrim(said), '') = '') THEN
            RAISE EXCEPTION 'a decline has one of the reason codes (DeclineReason), and a reason when it is other'
                USING ERRCODE = 'check_violation';
        END IF;
        after.decline_code := decline_code;
        details := jsonb_build_object('reasonCode', decline_code);
    WHEN 'schedule' THEN
        IF NOT coalesce(consultation_action.scheduled_at > at, false) THEN
            RAISE EXCEPTION 'a consultation is scheduled ahead' USING ERRCODE = 'check_violation';
        END IF;
        after.scheduled_at := consultation_action.scheduled_at;
        details := jsonb_build_object('at', to_char(consultation_action.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    WHEN 'opine' THEN
        -- Added once, in the expert's own name, at the action's time; earlier ones stay as they were.
        IF recommendation IS NULL OR recommendation NOT IN ('manage_locally', 'refer_up', 'refer_down', 'further_tests')
           OR EXISTS (SELECT FROM jsonb_array_elements(c.opinions) o WHERE o ->> 'expert' = consultation_action.actor) THEN
            RAISE EXCEPTION 'an opinion is added once, in its expert''s own name, with one of the recommendations'
                USING ERRCODE = 'check_violation';
        END IF;
        after.opinions := c.opinions || jsonb_build_array(jsonb_build_object(
            'expert', consultation_action.actor, 'summary', said, 'recommendation', recommendation,
            'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')));
        details := jsonb_build_object('recommendation', recommendation);
    WHEN 'conclude' THEN
        IF jsonb_array_length(c.opinions) = 0 THEN
            RAISE EXCEPTION 'a consultation is concluded after an opinion' USING ERRCODE = 'check_violation';
        END IF;
        after.conclusion := said;
        after.answered_at := at;
    WHEN 'convert' THEN
        -- Into the referral filed from it, once.
        IF NOT coalesce(c.converted_to IS NULL AND EXISTS (
               SELECT FROM referrals r WHERE r.id = consultation_action.converted_to AND r.consultation = c.id), false) THEN
            RAISE EXCEPTION 'a consultation is converted once, into the referral filed from it' USING ERRCODE = 'check_violation';
        END IF;
        after.converted_to := consultation_action.converted_to;
        details := jsonb_build_object('referral', consultation_action.converted_to);
    ELSE
        NULL;  -- accept, acknowledge, cancel, expire: the status alone.
    END CASE;
    after.status := move.to_status;
    after.version := c.version + 1;
    after.updated_at := at;
    UPDATE consultations x SET status = after.status, version = after.version, scheduled_at = after.scheduled_at,
        opinions = after.opinions, conclusion = after.conclusion, converted_to = after.converted_to,
        decline_code = after.decline_code, first_response_at = after.first_response_at, answered_at = after.answered_at,
        updated_at = after.updated_at
    WHERE x.id = c.id;
    INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (c.id, after.version, consultation_action.action, c.status, after.status, consultation_action.actor, at, said, details);
    -- The answer shows the consultation: a read, logged as the action's (a sweep's as the login's).
    PERFORM yilian_api.log_access(CASE WHEN party = 'system' THEN NULL ELSE consultation_action.actor END,
        'consultation.' || CASE WHEN party = 'system' THEN 'sweep' ELSE consultation_action.action END, ARRAY[c.id]);
    RETURN NEXT yilian_api.unkeyed(after);
END
$$;


--
-- Name: copied_key(jsonb, text, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.copied_key(patient jsonb, referral text, consultation text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$#variable_conflict use_column
BEGIN
    RETURN CASE WHEN position('*' IN $1->>'idNumber') > 0 THEN coalesce(
        (SELECT r.patient_key FROM referrals r WHERE r.id = $2 AND upper(r.patient->>'idNumber') = upper($1->>'idNumber')),
        (SELECT c.patient_key FROM consultations c WHERE c.id = $3 AND upper(c.patient->>'idNumber') = upper($1->>'idNumber'))) END;
END
$_$;


--
-- Name: decide_recognition(); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.decide_recognition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    day date;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.slot_date IS NOT DISTINCT FROM OLD.slot_date AND NEW.attachments IS NOT DISTINCT FROM OLD.attachments THEN
        RETURN NEW;
    END IF;
    IF jsonb_typeof(NEW.attachments) IS DISTINCT FROM 'array' THEN
        RETURN NEW;  -- refused by yilian_request_within_limits
    END IF;
    -- The slot date, else the day of the change (updated_at: the time the wall's function was
    -- given and checked, which the services' clock also decides by).
    day := coalesce(NEW.slot_date, (SELECT (NEW.updated_at AT TIME ZONE a.time_zone)::date FROM alliances a WHERE a.code = NEW.alliance));
    NEW.attachments := (
        SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e) = 'object'
                                       THEN (e - 'recognition' - 'recognized')
                                            || jsonb_build_object('recognition', yilian_private.recognition(NEW.alliance, e - 'recognition', day))
                                       ELSE e END ORDER BY n), '[]'::jsonb)
        FROM jsonb_array_elements(NEW.attachments) WITH ORDINALITY x(e, n));
    RETURN NEW;
END
$$;


--
-- Name: file_referral(text, text, text, text, text, text, jsonb, boolean, jsonb, text, text, jsonb, text, timestamp with time zone, timestamp with time zone, text, text, jsonb, text, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, patient_key text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me     record;
    a      alliances;
    new_id text;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND file_referral.from_hospital = me.hospital
                    AND yilian_api.may_name(file_referral.actor, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not file referrals of %', me.login, file_referral.from_hospital USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM alliances WHERE code = file_referral.alliance AND status = 'active';
    IF NOT FOUND OR NOT coalesce(file_referral.to_hospital <> file_referral.from_hospital, false)
       OR (SELECT count(*) FROM memberships m WHERE m.alliance = a.code AND m.status = 'active'
           AND m.hospital IN (file_referral.from_hospital, file_referral.to_hospital)) <> 2 THEN
        RAISE EXCEPTION 'both hospitals must be active members of an active alliance' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT yilian_api.on_time(file_referral.created_at)
       OR file_referral.respond_by IS DISTINCT FROM file_referral.created_at + make_interval(hours =>
           CASE file_referral.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) THEN
        RAISE EXCEPTION 'a referral is filed now, to answer within the alliance''s window' USING ERRCODE = 'check_violation';
    END IF;
    -- The direction follows the tiers (Referrals.direction): up to a higher tier or to the core,
    -- down to a lower one.
    IF file_referral.direction IS DISTINCT FROM (
           SELECT CASE WHEN t.level > f.level OR (a.core = t.code AND a.core <> f.code) THEN 'up' WHEN t.level < f.level THEN 'down' END
           FROM hospitals f, hospitals t WHERE f.code = file_referral.from_hospital AND t.code = file_referral.to_hospital) THEN
        RAISE EXCEPTION 'a referral goes up to a higher tier or the core, or down to a lower tier' USING ERRCODE = 'check_violation';
    END IF;
    -- A down-referral continues an up-referral of the alliance that this hospital received and
    -- treated, for the same patient; a referral converted from a consultation is the
    -- consultation's, answered and not converted yet, to its consultant, for the same patient.
    IF (file_referral.parent IS NOT NULL AND NOT EXISTS (
            SELECT FROM referrals r WHERE r.id = file_referral.parent AND r.direction = 'up' AND file_referral.direction = 'down'
            AND r.alliance = a.code AND r.to_hospital = me.hospital AND r.status IN ('in_treatment', 'completed', 'closed')
            AND (r.patient_key IS NULL OR r.patient_key = file_referral.patient_key OR file_referral.patient_key IS NULL)))
       OR (file_referral.consultation IS NOT NULL AND NOT EXISTS (
            SELECT FROM consultations c WHERE c.id = file_referral.consultation AND c.from_hospital = me.hospital
            AND c.to_hospital = file_referral.to_hospital AND c.status IN ('answered', 'closed') AND c.converted_to IS NULL
            AND c.patient_key IS NOT DISTINCT FROM file_referral.patient_key)) THEN
        RAISE EXCEPTION 'no such referral or consultation to continue' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent,
        diagnosis, reason, summary, attachments, parent, status, version, respond_by, clock_start, created_at, updated_at,
        consultation, patient_key)
    VALUES (yilian_private.numbered('R-', nextval('referral_numbers')), a.code, a.specialty, file_referral.direction, file_referral.setting,
        file_referral.priority, file_referral.from_hospital, file_referral.to_hospital, file_referral.patient, file_referral.consent,
        file_referral.diagnosis, file_referral.reason, file_referral.summary, file_referral.attachments, file_referral.parent,
        'requested', 1, file_referral.respond_by, file_referral.created_at, file_referral.created_at, file_referral.created_at,
        file_referral.consultation, file_referral.patient_key)
    RETURNING referrals.id INTO new_id;
    INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (new_id, 1, 'file', NULL, 'requested', file_referral.actor, file_referral.created_at, file_referral.event_reason, file_referral.details);
    RETURN new_id;
END
$$;


--
-- Name: is_active_member(text, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.is_active_member(alliance text, site text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN EXISTS (SELECT FROM memberships m WHERE m.alliance = is_active_member.alliance AND m.hospital = is_active_member.site
                   AND m.status = 'active');
END
$$;


--
-- Name: is_recognition_catalogue(jsonb); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.is_recognition_catalogue(document jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
BEGIN
    IF NOT coalesce(jsonb_typeof(document) = 'object' AND document - 'items' = '{}'::jsonb
                    AND jsonb_typeof(document -> 'items') = 'array' AND jsonb_array_length(document -> 'items') <= 500
                    AND octet_length(document::text) <= 262144, false) THEN
        RETURN false;
    END IF;
    RETURN NOT EXISTS (
        SELECT FROM jsonb_array_elements(document -> 'items') e
        WHERE NOT coalesce(jsonb_typeof(e) = 'object'
            AND e - 'code' - 'name' - 'kind' - 'validDays' - 'qualified' = '{}'::jsonb
            AND jsonb_typeof(e -> 'code') = 'string' AND (e ->> 'code') ~ '^[A-Za-z0-9._-]{1,32}$'
            AND jsonb_typeof(e -> 'name') = 'string' AND length(e ->> 'name') BETWEEN 1 AND 200 AND (e ->> 'name') !~ '[[:cntrl:]]'
            AND e ->> 'kind' IN ('lab', 'imaging')
            AND jsonb_typeof(e -> 'validDays') = 'number' AND (e ->> 'validDays') ~ '^[0-9]{1,4}$'
            AND (e ->> 'validDays')::integer BETWEEN 1 AND 3650
            AND (NOT e ? 'qualified' OR jsonb_typeof(e -> 'qualified') = 'null'
                 OR (jsonb_typeof(e -> 'qualified') = 'array' AND jsonb_array_length(e -> 'qualified') <= 500
                     AND NOT EXISTS (SELECT FROM jsonb_array_elements(e -> 'qualified') q
                                     WHERE NOT coalesce(jsonb_typeof(q) = 'string' AND (q #>> '{}') ~ '^[A-Z0-9][A-Z0-9-]{1,31}$', false)))),
            false))
       AND (SELECT count(DISTINCT e ->> 'code') FROM jsonb_array_elements(document -> 'items') e) = jsonb_array_length(document -> 'items');
END
$_$;


--
-- Name: numbered(text, bigint); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.numbered(prefix text, n bigint) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN prefix || lpad(n::text, greatest(6, length(n::text)), '0');
END
$$;


--
-- Name: outreach_of_receiver(); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.outreach_of_receiver() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF NEW.to_hospital IS DISTINCT FROM OLD.to_hospital THEN
        NEW.outreach := NULL;
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: recognition(text, jsonb, date); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.recognition(alliance text, attachment jsonb, day date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    in_force  integer;
    item      jsonb;
    performed date := yilian_private.calendar_date(attachment ->> 'performedAt');
    performer text := attachment ->> 'performedBy';
    reason    text;
    decision  jsonb;
BEGIN
    SELECT a.recognition_version INTO in_force FROM alliances a WHERE a.code = recognition.alliance;
    IF attachment ->> 'kind' NOT IN ('lab', 'imaging') OR jsonb_typeof(attachment -> 'item') IS DISTINCT FROM 'string' THEN
        reason := 'no_item';
    ELSE
        SELECT e INTO item FROM recognition_versions v, jsonb_array_elements(v.document -> 'items') e
        WHERE v.alliance = recognition.alliance AND v.version = in_force
          AND e ->> 'code' = attachment ->> 'item' AND e ->> 'kind' = attachment ->> 'kind';
        IF item IS NULL THEN
            reason := 'not_in_catalogue';
        ELSIF performed IS NULL OR performer IS NULL OR performed > day THEN
            reason := 'not_performed';
        ELSIF NOT EXISTS (SELECT FROM memberships m WHERE m.alliance = recognition.alliance AND m.hospital = performer AND m.status = 'active')
              OR (jsonb_typeof(item -> 'qualified') = 'array' AND NOT (item -> 'qualified') ? performer) THEN
            reason := 'not_qualified';
        ELSIF day > performed + (item ->> 'validDays')::integer THEN
            reason := 'expired';
        ELSE
            reason := 'recognized';
        END IF;
    END IF;
    decision := jsonb_build_object('recognized', reason = 'recognized', 'reason', reason, 'on', day::text, 'catalogueVersion', in_force);
    IF item IS NOT NULL AND performed IS NOT NULL AND performed + (item ->> 'validDays')::integer <= '2200-12-31' THEN
        decision := decision || jsonb_build_object('validUntil', (performed + (item ->> 'validDays')::integer)::text);
    END IF;
    RETURN decision;
END
$$;


--
-- Name: referral_action(text, text, integer, text, timestamp with time zone, text, text, text, date, boolean, jsonb); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb) RETURNS SETOF public.referrals
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET lock_timeout TO '5s'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me       record;
    r        referrals;
    after    referrals;
    a        alliances;
    move     referral_actions;
    party    text;
    span   interval;
    said     text := referral_action.reason;
    details  jsonb;
    book     date;
    release  date;
    release_expert boolean;
    levels   integer[];
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    -- Not one the caller may see (the owner: any): nothing. Looked at before it is locked, so that
    -- nobody can lock another hospital's referrals.
    IF NOT EXISTS (SELECT FROM referrals x WHERE x.id = referral_id
                   AND yilian_api.sees(me.hospital, x.earlier_receivers || ARRAY[x.from_hospital, x.to_hospital])) THEN
        RETURN;
    END IF;
    SELECT * INTO r FROM referrals WHERE id = referral_id FOR UPDATE;
    IF expected_version IS NOT NULL AND r.version <> expected_version THEN
        RAISE EXCEPTION 'referral % is at version %, not %', r.id, r.version, expected_version USING ERRCODE = 'YL003';
    END IF;
    IF referral_action.actor = 'system' THEN
        party := 'system';
    ELSE
        party := CASE me.hospital WHEN r.from_hospital THEN 'sender' WHEN r.to_hospital THEN 'receiver' END;
    END IF;
    SELECT * INTO a FROM alliances WHERE code = r.alliance;
    SELECT * INTO move FROM referral_actions m
    WHERE m.action = referral_action.action AND m.from_status = r.status AND m.side = party
      AND (NOT m.emergency_only OR r.priority = 'emergency');
    -- The system's moves by a user (a coordinator, administrator or integration: a sweep) only once
    -- their deadline passed (ReferralMachine.due); the owner's sweep runs on the clock it is given.
    -- Every test is coalesced: a NULL would let the move through.
    IF NOT FOUND
       OR (party = 'system' AND NOT coalesce(
               (me.hospital IS NULL OR me.duty IN ('coordinator', 'hospital_admin', 'integration')) AND (me.hospital IS NULL OR CASE referral_action.action
               WHEN 'escalate' THEN r.respond_by <= now()
               ELSE (r.status = 'requested' AND r.clock_start + 2 * make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours
                         WHEN 'urgent' THEN a.urgent_hours ELSE a.routine_hours END) <= now())
                    OR (r.status = 'info_requested' AND r.info_requested_at + interval '7 days' <= now()) END), false))
       OR (party <> 'system' AND NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration')
               AND yilian_api.named_duty(referral_action.actor, me.login, me.hospital, me.duty)
                   IN ('coordinator', 'hospital_admin', 'integration'), false)) THEN
        RAISE EXCEPTION 'this change of referral % is not a move its % may make', r.id, coalesce(party, 'reader')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT coalesce(yilian_api.on_time(referral_action.at), false) THEN
        RAISE EXCEPTION 'the time of % on referral % is not now', referral_action.action, r.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF referral_action.actor IS NULL THEN
        RAISE EXCEPTION 'an action has an actor' USING ERRCODE = 'not_null_violation';
    END IF;
    -- Only what the action carries.
    IF (said IS NOT NULL AND referral_action.action NOT IN ('accept', 'reject', 'requestInfo', 'provideInfo', 'cancel'))
       OR (referral_action.reject_code IS NOT NULL AND referral_action.action <> 'reject')
       OR (referral_action.to_hospital IS NOT NULL AND referral_action.action <> 'redirect')
       OR ((referral_action.slot_date IS NOT NULL OR referral_action.slot_expert IS NOT NULL)
           AND referral_action.action NOT IN ('schedule', 'reschedule'))
       OR (referral_action.outcome IS NOT NULL AND referral_action.action <> 'complete') THEN
        RAISE EXCEPTION '% carries only what it changes', referral_action.action USING ERRCODE = 'check_violation';
    END IF;
    span := make_interval(hours => CASE r.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours
                                          ELSE a.routine_hours END);
    after := r;
    IF party = 'receiver' AND r.first_response_at IS NULL THEN
        after.first_response_at := at;
    END IF;
    CASE referral_action.action
    WHEN 'accept' THEN
        after.accepted_at := at;
    WHEN 'reject' THEN
        IF reject_code IS NULL
           OR reject_code NOT IN ('capacity_full', 'outside_scope', 'insufficient_information', 'patient_declined', 'not_indicated', 'other')
           OR (reject_code = 'other' AND coalesce(btrim(said), '') = '') THEN
            RAISE EXCEPTION 'a rejection has one of the reason codes (RejectReason), and a reason when it is other' USING ERRCODE = 'check_violation';
        END IF;
        after.reject_code := reject_code;
        details := jsonb_build_object('reasonCode', reject_code);
    WHEN 'requestInfo' THEN
        after.info_requested_at := at;
    WHEN 'provideInfo' THEN
        after.clock_start := at;
        after.respond_by := at + span;
    WHEN 'redirect' THEN
        -- To another active member of the alliance, in the referral's direction (Referrals.direction).
        SELECT array_agg(h.level ORDER BY m.hospital = r.from_hospital DESC) INTO levels
        FROM memberships m JOIN hospitals h ON h.code = m.hospital
        WHERE m.alliance = r.alliance AND m.hospital IN (r.from_hospital, referral_action.to_hospital) AND m.status = 'active';
        IF referral_action.to_hospital IS NULL OR referral_action.to_hospital IN (r.from_hospital, r.to_hospital)
           OR cardinality(levels) IS DISTINCT FROM 2
           OR r.direction IS DISTINCT FROM (CASE
                WHEN levels[2] > levels[1] OR (referral_action.to_hospital = a.core AND r.from_hospital <> a.core) THEN 'up'
                WHEN levels[2] < levels[1] THEN 'down' END) THEN
            RAISE EXCEPTION 'a referral is redirected only to another active member of its alliance, in its direction'
                USING ERRCODE = 'check_violation';
        END IF;
        details := jsonb_build_object('to', referral_action.to_hospital, 'previousTo', r.to_hospital);
        after.to_hospital := referral_action.to_hospital;
        after.earlier_receivers := r.earlier_receivers || r.to_hospital;
        after.first_response_at := NULL;
        after.clock_start := at;
        after.respond_by := at + span;
    WHEN 'schedule', 'reschedule' THEN
        IF referral_action.slot_date IS NULL OR slot_expert IS NULL
           OR (referral_action.action = 'reschedule' AND (r.slot_date IS NULL OR r.slot_date = referral_action.slot_date)) THEN
            RAISE EXCEPTION 'a % names a date, a new one', referral_action.action USING ERRCODE = 'check_violation';
        END IF;
        after.slot_date := referral_action.slot_date;
        after.slot_expert := r.direction = 'up' AND referral_action.slot_expert;
        details := jsonb_build_object('date', referral_action.slot_date::text);
        IF referral_action.action = 'schedule' THEN
            after.scheduled_at := at;
        ELSE
            details := details || jsonb_build_object('previousDate', r.slot_date::text);
        END IF;
        IF after.slot_expert THEN
            details := details || '{"expert": true}';
        END IF;
        -- Reserved slots serve up-referrals (号源下沉).
        IF r.direction = 'up' THEN
            book := referral_action.slot_date;
            IF referral_action.action = 'reschedule' THEN
                release := r.slot_date;
            END IF;
        END IF;
    WHEN 'noShow', 'cancel' THEN
        IF r.direction = 'up' AND (referral_action.action = 'noShow' OR r.status = 'scheduled') THEN
            release := r.slot_date;
        END IF;
    WHEN 'complete' THEN
        -- An outcome with a summary, and a follow-up of 1 to 3650 days when it names one (TreatmentOutcome.problems).
        IF NOT coalesce(jsonb_typeof(referral_action.outcome) = 'object' AND btrim(referral_action.outcome->>'summary') <> ''
                        AND (jsonb_typeof(referral_action.outcome->'followUpDays') IS DISTINCT FROM 'number'
                             OR (referral_action.outcome->>'followUpDays')::numeric BETWEEN 1 AND 3650)
                        AND coalesce(jsonb_typeof(referral_action.outcome->'followUpDays'), 'null') IN ('number', 'null'), false) THEN
            RAISE EXCEPTION 'a completion carries an outcome with a summary, and a follow-up of 1 to 3650 days'
                USING ERRCODE = 'check_violation';
        END IF;
        after.outcome := referral_action.outcome;
        said := referral_action.outcome->>'summary';
    WHEN 'escalate' THEN
        after.escalation := r.escalation + 1;
        after.respond_by := r.respond_by + span;
        details := jsonb_build_object('escalation', after.escalation);
    ELSE
        NULL;  -- arrive, acknowledge, expire: the status alone.
    END CASE;
    IF referral_action.action IN ('requestInfo', 'provideInfo', 'cancel') AND coalesce(btrim(said), '') = '' THEN
        RAISE EXCEPTION 'a % says why', referral_action.action USING ERRCODE = 'check_violation';
    END IF;
    release_expert := r.slot_expert;
    -- The slot rows in date order, so that two reschedules crossing each other's dates never deadlock.
    IF book IS NOT NULL OR release IS NOT NULL THEN
        PERFORM FROM slots s WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date IN (book, release)
        ORDER BY s.date FOR UPDATE;
    END IF;
    IF book IS NOT NULL THEN
        UPDATE slots s SET booked = s.booked + 1, expert_booked = s.expert_booked + CASE WHEN after.slot_expert THEN 1 ELSE 0 END
        WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date = book
          AND CASE WHEN after.slot_expert THEN s.expert_booked < s.expert ELSE s.booked - s.expert_booked < s.capacity - s.expert END;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no unit of % left at % on %', r.specialty, r.to_hospital, book USING ERRCODE = 'YL002';
        END IF;
    END IF;
    IF release IS NOT NULL THEN
        UPDATE slots s SET booked = s.booked - 1, expert_booked = s.expert_booked - CASE WHEN release_expert THEN 1 ELSE 0 END
        WHERE s.hospital = r.to_hospital AND s.specialty = r.specialty AND s.date = release AND s.booked > 0
          AND (NOT release_expert OR s.expert_booked > 0);
    END IF;
    after.status := move.to_status;
    after.version := r.version + 1;
    after.updated_at := at;
    UPDATE referrals x SET to_hospital = after.to_hospital, status = after.status, version = after.version, respond_by = after.respond_by,
        clock_start = after.clock_start, info_requested_at = after.info_requested_at, slot_date = after.slot_date, outcome = after.outcome,
        escalation = after.escalation, first_response_at = after.first_response_at, updated_at = after.updated_at,
        accepted_at = after.accepted_at, reject_code = after.reject_code, scheduled_at = after.scheduled_at, slot_expert = after.slot_expert,
        earlier_receivers = after.earlier_receivers
    WHERE x.id = r.id;
    INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at, reason, details)
    VALUES (r.id, after.version, referral_action.action, r.status, after.status, referral_action.actor, at, said, details);
    -- The answer shows the referral: a read, logged as the action's (a sweep's as the login's).
    PERFORM yilian_api.log_access(CASE WHEN party = 'system' THEN NULL ELSE referral_action.actor END,
        'referral.' || CASE WHEN party = 'system' THEN 'sweep' ELSE referral_action.action END, ARRAY[r.id]);
    RETURN NEXT yilian_api.unkeyed(after);
END
$$;


--
-- Name: refuse_outreach(text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.refuse_outreach(reason text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION 'outreach refused: %', reason USING ERRCODE = 'YL005', DETAIL = reason;
END
$$;


--
-- Name: request_consultation(text, text, text, text, text, jsonb, boolean, jsonb, text, jsonb, text, timestamp with time zone, timestamp with time zone, text, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, patient_key text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET debug_print_parse TO 'off'
    SET debug_print_rewritten TO 'off'
    SET debug_print_plan TO 'off'
    SET trace_notify TO 'off'
    SET trace_sort TO 'off'
    SET "plpgsql.print_strict_params" TO 'off'
    AS $$
DECLARE
    me     record;
    a      alliances;
    new_id text;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND request_consultation.from_hospital = me.hospital
                    AND yilian_api.may_name(request_consultation.actor, me.login, me.hospital, me.duty), false) THEN
        RAISE EXCEPTION '% may not ask consultations for %', me.login, request_consultation.from_hospital
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM alliances WHERE code = request_consultation.alliance AND status = 'active';
    IF NOT FOUND OR NOT coalesce(request_consultation.to_hospital <> request_consultation.from_hospital, false)
       OR (SELECT count(*) FROM memberships m WHERE m.alliance = a.code AND m.status = 'active'
           AND m.hospital IN (request_consultation.from_hospital, request_consultation.to_hospital)) <> 2 THEN
        RAISE EXCEPTION 'both hospitals must be active members of an active alliance' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT yilian_api.on_time(request_consultation.created_at)
       OR request_consultation.respond_by IS DISTINCT FROM request_consultation.created_at + make_interval(hours =>
           CASE request_consultation.priority WHEN 'emergency' THEN a.emergency_hours WHEN 'urgent' THEN a.urgent_hours
                ELSE a.routine_hours END) THEN
        RAISE EXCEPTION 'a consultation is asked now, to answer within the alliance''s window' USING ERRCODE = 'check_violation';
    END IF;
    IF request_consultation.referral IS NOT NULL AND NOT EXISTS (
           SELECT FROM referrals r WHERE r.id = request_consultation.referral
           AND (me.hospital IN (r.from_hospital, r.to_hospital) OR me.hospital = ANY (r.earlier_receivers))) THEN
        RAISE EXCEPTION 'no such referral' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO consultations (id, alliance, specialty, from_hospital, to_hospital, mode, priority, patient, consent, diagnosis, question,
        attachments, referral, status, version, respond_by, created_at, updated_at, patient_key)
    VALUES (yilian_private.numbered('C-', nextval('consultation_numbers')), a.code, a.specialty, request_consultation.from_hospital,
        request_consultation.to_hospital, request_consultation.mode, request_consultation.priority, request_consultation.patient,
        request_consultation.consent, request_consultation.diagnosis, request_consultation.question, request_consultation.attachments,
        request_consultation.referral, 'requested', 1, request_consultation.respond_by, request_consultation.created_at,
        request_consultation.created_at, request_consultation.patient_key)
    RETURNING consultations.id INTO new_id;
    INSERT INTO consultation_events (consultation, seq, action, from_status, to_status, actor, at, reason)
    VALUES (new_id, 1, 'request', NULL, 'requested', request_consultation.actor, request_consultation.created_at,
        request_consultation.question);
    RETURN new_id;
END
$$;


--
-- Name: sees_membership(text, text, text, text, boolean); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.sees_membership(me_hospital text, me_duty text, alliance text, hospital text, platform_too boolean) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN coalesce(me_hospital = sees_membership.hospital OR (platform_too AND me_duty = 'platform_admin')
                    OR EXISTS (SELECT FROM alliances a WHERE a.code = sees_membership.alliance AND a.core = me_hospital), false);
END
$$;


--
-- Name: sends_experts(text, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.sends_experts(alliance text, hospital text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    RETURN EXISTS (SELECT FROM alliances a WHERE a.code = sends_experts.alliance AND a.status = 'active' AND (a.core = sends_experts.hospital
                   OR EXISTS (SELECT FROM memberships m JOIN hospitals h ON h.code = m.hospital WHERE m.alliance = a.code
                              AND m.hospital = sends_experts.hospital AND m.status = 'active' AND h.level = 3)));
END
$$;


--
-- Name: session_to_book(text, timestamp with time zone, text); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.session_to_book(session_id text, at timestamp with time zone, actor text) RETURNS public.outreach_sessions
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
DECLARE
    me    record;
    held  outreach_sessions;
BEGIN
    SELECT * INTO me FROM yilian_api.caller();
    IF NOT coalesce(yilian_api.may_name(session_to_book.actor, me.login, me.hospital, me.duty) AND yilian_api.on_time(session_to_book.at), false) THEN
        RAISE EXCEPTION '% may not book as % at %', me.login, session_to_book.actor, session_to_book.at USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Who may is checked before the row is locked (a session's site never changes): a refused
    -- caller never waits behind the site's bookings. (A refusal releases what it locked at once:
    -- PostgreSQL ends a failed transaction's locks when it fails, not at its ROLLBACK.)
    SELECT * INTO held FROM outreach_sessions s WHERE s.id = session_to_book.session_id;
    IF NOT FOUND THEN
        PERFORM yilian_private.refuse_outreach('no_session');
    END IF;
    IF NOT coalesce(me.duty IN ('coordinator', 'hospital_admin', 'integration') AND me.hospital = held.site, false) THEN
        PERFORM yilian_private.refuse_outreach('not_site_coordinator');
    END IF;
    SELECT * INTO held FROM outreach_sessions s WHERE s.id = session_to_book.session_id FOR UPDATE;
    IF held.date < yilian_private.alliance_today(held.alliance, session_to_book.at) THEN
        PERFORM yilian_private.refuse_outreach('past');
    END IF;
    IF NOT yilian_private.is_active_member(held.alliance, held.site) THEN
        PERFORM yilian_private.refuse_outreach('site_left');
    END IF;
    RETURN held;
END
$$;


--
-- Name: undecided_attachments(); Type: FUNCTION; Schema: yilian_private; Owner: -
--

CREATE FUNCTION yilian_private.undecided_attachments() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
BEGIN
    IF jsonb_typeof(NEW.attachments) = 'array' THEN
        NEW.attachments := (
            SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e) = 'object' THEN e - 'recognition' - 'recognized' ELSE e END ORDER BY n),
                            '[]'::jsonb)
            FROM jsonb_array_elements(NEW.attachments) WITH ORDINALITY x(e, n));
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: access_log_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.access_log_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_log_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.access_log_seq_seq OWNED BY public.access_log.seq;


--
-- Name: alliances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alliances (
    code text NOT NULL,
    name text NOT NULL,
    specialty text NOT NULL,
    core text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    emergency_hours integer DEFAULT 2 NOT NULL,
    urgent_hours integer DEFAULT 24 NOT NULL,
    routine_hours integer DEFAULT 72 NOT NULL,
    criteria_version integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    time_zone text DEFAULT 'Asia/Shanghai'::text NOT NULL,
    slot_lead_days integer DEFAULT 14 NOT NULL,
    slot_rule text,
    recognition_version integer DEFAULT 0 NOT NULL,
    CONSTRAINT alliances_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'::text)),
    CONSTRAINT alliances_emergency_hours_check CHECK ((emergency_hours > 0)),
    CONSTRAINT alliances_name_check CHECK ((name <> ''::text)),
    CONSTRAINT alliances_routine_hours_check CHECK ((routine_hours > 0)),
    CONSTRAINT alliances_slot_lead_days_check CHECK (((slot_lead_days >= 0) AND (slot_lead_days <= 365))),
    CONSTRAINT alliances_slot_rule_check CHECK ((slot_rule = 'beijing'::text)),
    CONSTRAINT alliances_status_check CHECK ((status = ANY (ARRAY['active'::text, 'dissolved'::text]))),
    CONSTRAINT alliances_time_zone_check CHECK ((time_zone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'::text)),
    CONSTRAINT alliances_urgent_hours_check CHECK ((urgent_hours > 0))
);


--
-- Name: application_actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.application_actions (
    action text NOT NULL,
    side text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    columns text[] NOT NULL,
    CONSTRAINT application_actions_side_check CHECK ((side = ANY (ARRAY['applicant'::text, 'core'::text])))
);


--
-- Name: application_numbers; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.application_numbers
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: burden; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.burden (
    district text NOT NULL,
    specialty text NOT NULL,
    year integer NOT NULL,
    cases integer NOT NULL,
    incidence double precision,
    imported_by text NOT NULL,
    imported_at timestamp with time zone NOT NULL,
    CONSTRAINT burden_cases_check CHECK (((cases >= 0) AND (cases <= 100000000))),
    CONSTRAINT burden_district_check CHECK ((((char_length(district) >= 1) AND (char_length(district) <= 32)) AND (btrim(district) = district) AND (district !~ '[[:cntrl:]-  -‏ -  -⁤　﻿]'::text))),
    CONSTRAINT burden_incidence_check CHECK (((incidence >= (0)::double precision) AND (incidence <= (100000)::double precision))),
    CONSTRAINT burden_year_check CHECK (((year >= 1900) AND (year <= 2200)))
);


--
-- Name: consultation_actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consultation_actions (
    action text NOT NULL,
    side text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    modes text[] NOT NULL,
    CONSTRAINT consultation_actions_side_check CHECK ((side = ANY (ARRAY['requester'::text, 'consultant'::text, 'system'::text])))
);


--
-- Name: consultation_numbers; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.consultation_numbers
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: criteria_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.criteria_versions (
    alliance text NOT NULL,
    version integer NOT NULL,
    document jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT criteria_versions_version_check CHECK ((version > 0))
);


--
-- Name: feed_inserts; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.feed_inserts
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: feed; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feed (
    txid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    inserted bigint DEFAULT nextval('public.feed_inserts'::regclass) NOT NULL,
    number bigint,
    kind text NOT NULL,
    id text NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor text NOT NULL,
    at timestamp with time zone NOT NULL,
    priority text,
    hospitals text[] NOT NULL,
    CONSTRAINT feed_kind_check CHECK ((kind = ANY (ARRAY['referral'::text, 'consultation'::text, 'membership'::text])))
);


--
-- Name: feed_numbering; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feed_numbering (
    lock boolean DEFAULT true NOT NULL,
    CONSTRAINT feed_numbering_lock_check CHECK (lock)
);


--
-- Name: hospitals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hospitals (
    code text NOT NULL,
    name text NOT NULL,
    level smallint NOT NULL,
    grade text DEFAULT 'unrated'::text NOT NULL,
    kind text DEFAULT 'general'::text NOT NULL,
    district text,
    beds integer,
    departments text[] DEFAULT '{}'::text[] NOT NULL,
    facts jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT hospitals_beds_check CHECK ((beds >= 0)),
    CONSTRAINT hospitals_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'::text)),
    CONSTRAINT hospitals_facts_check CHECK ((jsonb_typeof(facts) = 'object'::text)),
    CONSTRAINT hospitals_grade_check CHECK ((grade = ANY (ARRAY['A'::text, 'B'::text, 'C'::text, 'unrated'::text]))),
    CONSTRAINT hospitals_kind_check CHECK ((kind = ANY (ARRAY['general'::text, 'specialty'::text, 'tcm'::text, 'community'::text, 'township'::text, 'other'::text]))),
    CONSTRAINT hospitals_level_check CHECK (((level >= 1) AND (level <= 3))),
    CONSTRAINT hospitals_name_check CHECK ((name <> ''::text))
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    hospital text NOT NULL,
    key text NOT NULL,
    method text NOT NULL,
    result text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    digest bytea NOT NULL,
    login text,
    CONSTRAINT idempotency_keys_key_check CHECK ((key <> ''::text))
);


--
-- Name: membership_actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.membership_actions (
    action text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL
);


--
-- Name: membership_events_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.membership_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: membership_events_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.membership_events_seq_seq OWNED BY public.membership_events.seq;


--
-- Name: memberships; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.memberships (
    alliance text NOT NULL,
    hospital text NOT NULL,
    role text NOT NULL,
    status text NOT NULL,
    since timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT memberships_role_check CHECK ((role = ANY (ARRAY['core'::text, 'collaborating'::text, 'cooperating'::text, 'primary'::text]))),
    CONSTRAINT memberships_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'withdrawn'::text, 'revoked'::text])))
);


--
-- Name: outreach_numbers; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outreach_numbers
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: patient_key_secret; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.patient_key_secret (
    secret bytea NOT NULL
);


--
-- Name: recognition_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.recognition_versions (
    alliance text NOT NULL,
    version integer NOT NULL,
    document jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT recognition_versions_document_check CHECK (yilian_private.is_recognition_catalogue(document)),
    CONSTRAINT recognition_versions_version_check CHECK ((version > 0))
);


--
-- Name: referral_actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referral_actions (
    action text NOT NULL,
    side text NOT NULL,
    from_status text NOT NULL,
    to_status text NOT NULL,
    emergency_only boolean DEFAULT false NOT NULL,
    CONSTRAINT referral_actions_side_check CHECK ((side = ANY (ARRAY['sender'::text, 'receiver'::text, 'system'::text])))
);


--
-- Name: referral_numbers; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.referral_numbers
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: resident_ids; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resident_ids (
    patient_key text NOT NULL,
    id_number text NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: sender_identifiers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sender_identifiers (
    hospital text NOT NULL,
    system text NOT NULL,
    value text NOT NULL,
    filed text NOT NULL
);


--
-- Name: specialties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.specialties (
    code text NOT NULL,
    name text NOT NULL,
    "position" integer NOT NULL,
    CONSTRAINT specialties_code_check CHECK ((code ~ '^[a-z][a-z_]{1,31}$'::text))
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    login text NOT NULL,
    name text NOT NULL,
    hospital text NOT NULL,
    duty text NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    password text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    display_name text,
    CONSTRAINT users_check CHECK ((login = ((name || '@'::text) || hospital))),
    CONSTRAINT users_check1 CHECK (((hospital = 'admin'::text) = (duty = 'platform_admin'::text))),
    CONSTRAINT users_display_name_check CHECK (((display_name IS NULL) OR (((char_length(display_name) >= 1) AND (char_length(display_name) <= 32)) AND (display_name !~ '[[:cntrl:]]'::text) AND (btrim(display_name) = display_name)))),
    CONSTRAINT users_duty_check CHECK ((duty = ANY (ARRAY['coordinator'::text, 'physician'::text, 'hospital_admin'::text, 'auditor'::text, 'integration'::text, 'platform_admin'::text]))),
    CONSTRAINT users_name_check CHECK ((name ~ '^[a-z][a-z0-9._-]{0,31}$'::text))
);


--
-- Name: access_log seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_log ALTER COLUMN seq SET DEFAULT nextval('public.access_log_seq_seq'::regclass);


--
-- Name: membership_events seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_events ALTER COLUMN seq SET DEFAULT nextval('public.membership_events_seq_seq'::regclass);


--
-- Name: access_log access_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_log
    ADD CONSTRAINT access_log_pkey PRIMARY KEY (seq);


--
-- Name: alliances alliances_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alliances
    ADD CONSTRAINT alliances_pkey PRIMARY KEY (code);


--
-- Name: application_actions application_actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.application_actions
    ADD CONSTRAINT application_actions_pkey PRIMARY KEY (action, from_status);


--
-- Name: applications applications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_pkey PRIMARY KEY (id);


--
-- Name: burden burden_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.burden
    ADD CONSTRAINT burden_pkey PRIMARY KEY (year, specialty, district);


--
-- Name: consultation_actions consultation_actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultation_actions
    ADD CONSTRAINT consultation_actions_pkey PRIMARY KEY (action, from_status);


--
-- Name: consultation_events consultation_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultation_events
    ADD CONSTRAINT consultation_events_pkey PRIMARY KEY (consultation, seq);


--
-- Name: consultation_events consultation_events_within_limits; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.consultation_events
    ADD CONSTRAINT consultation_events_within_limits CHECK ((((at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (at <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND (octet_length(COALESCE(reason, ''::text)) <= 1048576) AND (octet_length(COALESCE((details)::text, ''::text)) <= 1048576))) NOT VALID;


--
-- Name: consultations consultations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_pkey PRIMARY KEY (id);


--
-- Name: consultations consultations_within_limits; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.consultations
    ADD CONSTRAINT consultations_within_limits CHECK ((public.yilian_valid_opinions(opinions) AND (octet_length((opinions)::text) <= 1048576) AND (octet_length(question) <= 1048576) AND (octet_length(COALESCE(conclusion, ''::text)) <= 1048576) AND ((created_at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (created_at <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((respond_by >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (respond_by <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((updated_at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (updated_at <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((scheduled_at IS NULL) OR ((scheduled_at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (scheduled_at <= '2200-01-01 00:00:00+00'::timestamp with time zone))))) NOT VALID;


--
-- Name: criteria_versions criteria_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.criteria_versions
    ADD CONSTRAINT criteria_versions_pkey PRIMARY KEY (alliance, version);


--
-- Name: feed feed_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feed
    ADD CONSTRAINT feed_number_key UNIQUE (number);


--
-- Name: feed_numbering feed_numbering_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feed_numbering
    ADD CONSTRAINT feed_numbering_pkey PRIMARY KEY (lock);


--
-- Name: feed feed_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feed
    ADD CONSTRAINT feed_pkey PRIMARY KEY (txid, inserted);


--
-- Name: hospitals hospitals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hospitals
    ADD CONSTRAINT hospitals_pkey PRIMARY KEY (code);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (hospital, key);


--
-- Name: membership_actions membership_actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_actions
    ADD CONSTRAINT membership_actions_pkey PRIMARY KEY (action, from_status);


--
-- Name: membership_events membership_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_events
    ADD CONSTRAINT membership_events_pkey PRIMARY KEY (seq);


--
-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (alliance, hospital);


--
-- Name: outreach_bookings outreach_bookings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_bookings
    ADD CONSTRAINT outreach_bookings_pkey PRIMARY KEY (session, number);


--
-- Name: outreach_sessions outreach_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_sessions
    ADD CONSTRAINT outreach_sessions_pkey PRIMARY KEY (id);


--
-- Name: practice_records practice_records_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.practice_records
    ADD CONSTRAINT practice_records_pkey PRIMARY KEY (alliance, expert, site, filing_number);


--
-- Name: recognition_versions recognition_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.recognition_versions
    ADD CONSTRAINT recognition_versions_pkey PRIMARY KEY (alliance, version);


--
-- Name: referral_actions referral_actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_actions
    ADD CONSTRAINT referral_actions_pkey PRIMARY KEY (action, from_status);


--
-- Name: referral_events referral_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_events
    ADD CONSTRAINT referral_events_pkey PRIMARY KEY (referral, seq);


--
-- Name: referral_events referral_events_within_limits; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.referral_events
    ADD CONSTRAINT referral_events_within_limits CHECK ((((at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (at <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND (octet_length(COALESCE(reason, ''::text)) <= 1048576) AND (octet_length(COALESCE((details)::text, ''::text)) <= 1048576))) NOT VALID;


--
-- Name: referrals referrals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_pkey PRIMARY KEY (id);


--
-- Name: referrals referrals_within_limits; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.referrals
    ADD CONSTRAINT referrals_within_limits CHECK ((public.yilian_valid_outcome(outcome) AND (octet_length(COALESCE((outcome)::text, ''::text)) <= 1048576) AND (octet_length(reason) <= 1048576) AND (octet_length(COALESCE(summary, ''::text)) <= 1048576) AND ((created_at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (created_at <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((respond_by >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (respond_by <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((updated_at >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (updated_at <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((clock_start >= '1900-01-01 00:00:00+00'::timestamp with time zone) AND (clock_start <= '2200-01-01 00:00:00+00'::timestamp with time zone)) AND ((slot_date IS NULL) OR ((slot_date >= '1900-01-01'::date) AND (slot_date <= '2200-01-01'::date))))) NOT VALID;


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sender_identifiers sender_identifiers_filed_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sender_identifiers
    ADD CONSTRAINT sender_identifiers_filed_key UNIQUE (filed);


--
-- Name: sender_identifiers sender_identifiers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sender_identifiers
    ADD CONSTRAINT sender_identifiers_pkey PRIMARY KEY (hospital, system, value);


--
-- Name: slots slots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.slots
    ADD CONSTRAINT slots_pkey PRIMARY KEY (hospital, specialty, date);


--
-- Name: specialties specialties_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.specialties
    ADD CONSTRAINT specialties_pkey PRIMARY KEY (code);


--
-- Name: specialties specialties_position_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.specialties
    ADD CONSTRAINT specialties_position_key UNIQUE ("position");


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (login);


--
-- Name: access_log_hospital; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX access_log_hospital ON public.access_log USING btree (hospital, seq);


--
-- Name: access_log_referrals; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX access_log_referrals ON public.access_log USING gin (referrals);


--
-- Name: applications_alliance; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX applications_alliance ON public.applications USING btree (alliance, status, id);


--
-- Name: applications_one_open; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX applications_one_open ON public.applications USING btree (alliance, hospital) WHERE (status = ANY (ARRAY['submitted'::text, 'info_requested'::text]));


--
-- Name: consultations_alliance; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consultations_alliance ON public.consultations USING btree (alliance, created_at);


--
-- Name: consultations_entered_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consultations_entered_key ON public.consultations USING btree ((((patient_key || '|'::text) || from_hospital))) WHERE id_entered;


--
-- Name: consultations_from; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consultations_from ON public.consultations USING btree (from_hospital, status, id);


--
-- Name: consultations_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consultations_open ON public.consultations USING btree (created_at) WHERE (status = ANY (ARRAY['requested'::text, 'accepted'::text]));


--
-- Name: consultations_to; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consultations_to ON public.consultations USING btree (to_hospital, status, respond_by);


--
-- Name: feed_numbered; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX feed_numbered ON public.feed USING btree (number) WHERE (number IS NOT NULL);


--
-- Name: feed_unnumbered; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX feed_unnumbered ON public.feed USING btree (txid, inserted) WHERE (number IS NULL);


--
-- Name: hospitals_departments; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hospitals_departments ON public.hospitals USING gin (departments);


--
-- Name: hospitals_district; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hospitals_district ON public.hospitals USING btree (district, code);


--
-- Name: hospitals_level; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hospitals_level ON public.hospitals USING btree (level, code);


--
-- Name: membership_events_application; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX membership_events_application ON public.membership_events USING btree (application, seq);


--
-- Name: membership_events_member; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX membership_events_member ON public.membership_events USING btree (alliance, hospital, seq);


--
-- Name: memberships_hospital; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX memberships_hospital ON public.memberships USING btree (hospital);


--
-- Name: memberships_one_core; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX memberships_one_core ON public.memberships USING btree (alliance) WHERE (role = 'core'::text);


--
-- Name: outreach_sessions_alliance_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outreach_sessions_alliance_date ON public.outreach_sessions USING btree (alliance, date);


--
-- Name: referrals_alliance_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_alliance_status ON public.referrals USING btree (alliance, status, id);


--
-- Name: referrals_entered_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_entered_key ON public.referrals USING btree ((((patient_key || '|'::text) || from_hospital))) WHERE id_entered;


--
-- Name: referrals_expected; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_expected ON public.referrals USING btree (to_hospital, slot_date, id) WHERE (status = 'scheduled'::text);


--
-- Name: referrals_in_treatment; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_in_treatment ON public.referrals USING btree (to_hospital, id) WHERE (status = 'in_treatment'::text);


--
-- Name: referrals_incoming; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_incoming ON public.referrals USING btree (to_hospital, status, respond_by);


--
-- Name: referrals_incoming_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_incoming_open ON public.referrals USING btree (to_hospital, ((priority = 'emergency'::text)) DESC, respond_by, id) WHERE (status = ANY (ARRAY['requested'::text, 'info_requested'::text]));


--
-- Name: referrals_open_deadlines; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_open_deadlines ON public.referrals USING btree (respond_by) WHERE (status = ANY (ARRAY['requested'::text, 'info_requested'::text]));


--
-- Name: referrals_open_patient_masked; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_open_patient_masked ON public.referrals USING btree (((((((((patient ->> 'name'::text) || '|'::text) || (patient ->> 'birthDate'::text)) || '|'::text) || (patient ->> 'idNumber'::text)) || '|'::text) || from_hospital))) WHERE ((patient_key IS NOT NULL) AND (status = ANY (ARRAY['requested'::text, 'info_requested'::text, 'accepted'::text, 'scheduled'::text, 'in_treatment'::text, 'completed'::text])));


--
-- Name: referrals_open_patient_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_open_patient_name ON public.referrals USING btree (((((((patient ->> 'name'::text) || '|'::text) || (patient ->> 'birthDate'::text)) || '|'::text) || from_hospital))) WHERE (status = ANY (ARRAY['requested'::text, 'info_requested'::text, 'accepted'::text, 'scheduled'::text, 'in_treatment'::text, 'completed'::text]));


--
-- Name: referrals_outgoing; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_outgoing ON public.referrals USING btree (from_hospital, status, id);


--
-- Name: referrals_outgoing_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_outgoing_open ON public.referrals USING btree (from_hospital, id) WHERE (status = ANY (ARRAY['requested'::text, 'info_requested'::text, 'accepted'::text, 'scheduled'::text, 'in_treatment'::text, 'completed'::text]));


--
-- Name: referrals_parent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_parent ON public.referrals USING btree (parent) WHERE (parent IS NOT NULL);


--
-- Name: referrals_patient_seen_by; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_patient_seen_by ON public.referrals USING gin (public.yilian_patient_seen_by((patient ->> 'name'::text), (patient ->> 'birthDate'::text), (earlier_receivers || ARRAY[from_hospital, to_hospital]))) WITH (fastupdate=off);


--
-- Name: referrals_report; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_report ON public.referrals USING btree (alliance, created_at) INCLUDE (id, direction, setting, priority, from_hospital, to_hospital, status, escalation, first_response_at, accepted_at, reject_code, scheduled_at);


--
-- Name: referrals_to_acknowledge; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_to_acknowledge ON public.referrals USING btree (from_hospital, updated_at, id) WHERE (status = 'completed'::text);


--
-- Name: referrals_to_schedule; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_to_schedule ON public.referrals USING btree (to_hospital, ((priority = 'emergency'::text)) DESC, id) WHERE (status = 'accepted'::text);


--
-- Name: resident_ids_patient_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX resident_ids_patient_key ON public.resident_ids USING btree (patient_key);


--
-- Name: access_log access_log_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER access_log_append_only BEFORE DELETE OR UPDATE ON public.access_log FOR EACH ROW EXECUTE FUNCTION public.access_log_only_grows();


--
-- Name: access_log access_log_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON public.access_log FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: consultation_events consultation_events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consultation_events_append_only BEFORE DELETE OR UPDATE ON public.consultation_events FOR EACH ROW EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: consultation_events consultation_events_feed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consultation_events_feed AFTER INSERT ON public.consultation_events FOR EACH ROW EXECUTE FUNCTION public.feed_copy_consultation_event();


--
-- Name: consultation_events consultation_events_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consultation_events_no_truncate BEFORE TRUNCATE ON public.consultation_events FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: consultations consultations_patient_stored_masked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consultations_patient_stored_masked BEFORE INSERT ON public.consultations FOR EACH ROW EXECUTE FUNCTION public.yilian_patient_stored_masked();


--
-- Name: consultations consultations_recognition_dropped; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consultations_recognition_dropped BEFORE INSERT OR UPDATE OF attachments ON public.consultations FOR EACH ROW EXECUTE FUNCTION yilian_private.undecided_attachments();


--
-- Name: consultations consultations_request_within_limits; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consultations_request_within_limits BEFORE INSERT OR UPDATE OF patient, diagnosis, attachments ON public.consultations FOR EACH ROW EXECUTE FUNCTION public.yilian_request_within_limits();


--
-- Name: membership_events membership_events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER membership_events_append_only BEFORE DELETE OR UPDATE ON public.membership_events FOR EACH ROW EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: membership_events membership_events_feed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER membership_events_feed AFTER INSERT ON public.membership_events FOR EACH ROW EXECUTE FUNCTION public.feed_copy_membership_event();


--
-- Name: membership_events membership_events_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER membership_events_no_truncate BEFORE TRUNCATE ON public.membership_events FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: referral_events referral_events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referral_events_append_only BEFORE DELETE OR UPDATE ON public.referral_events FOR EACH ROW EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: referral_events referral_events_feed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referral_events_feed AFTER INSERT ON public.referral_events FOR EACH ROW EXECUTE FUNCTION public.feed_copy_referral_event();


--
-- Name: referral_events referral_events_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referral_events_no_truncate BEFORE TRUNCATE ON public.referral_events FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_event_change();


--
-- Name: referrals referrals_appointment_not_past; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referrals_appointment_not_past BEFORE UPDATE OF slot_date ON public.referrals FOR EACH ROW EXECUTE FUNCTION yilian_private.appointment_not_past();


--
-- Name: referrals referrals_outreach_of_receiver; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referrals_outreach_of_receiver BEFORE UPDATE OF to_hospital ON public.referrals FOR EACH ROW EXECUTE FUNCTION yilian_private.outreach_of_receiver();


--
-- Name: referrals referrals_patient_stored_masked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referrals_patient_stored_masked BEFORE INSERT ON public.referrals FOR EACH ROW EXECUTE FUNCTION public.yilian_patient_stored_masked();


--
-- Name: referrals referrals_recognition_decided; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referrals_recognition_decided BEFORE INSERT OR UPDATE OF attachments, slot_date ON public.referrals FOR EACH ROW EXECUTE FUNCTION yilian_private.decide_recognition();


--
-- Name: referrals referrals_request_within_limits; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER referrals_request_within_limits BEFORE INSERT OR UPDATE OF patient, diagnosis, attachments ON public.referrals FOR EACH ROW EXECUTE FUNCTION public.yilian_request_within_limits();


--
-- Name: alliances alliances_core_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alliances
    ADD CONSTRAINT alliances_core_fkey FOREIGN KEY (core) REFERENCES public.hospitals(code);


--
-- Name: alliances alliances_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alliances
    ADD CONSTRAINT alliances_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: applications applications_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: applications applications_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_hospital_fkey FOREIGN KEY (hospital) REFERENCES public.hospitals(code);


--
-- Name: burden burden_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.burden
    ADD CONSTRAINT burden_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: consultation_events consultation_events_consultation_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultation_events
    ADD CONSTRAINT consultation_events_consultation_fkey FOREIGN KEY (consultation) REFERENCES public.consultations(id);


--
-- Name: consultations consultations_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: consultations consultations_converted_to_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_converted_to_fkey FOREIGN KEY (converted_to) REFERENCES public.referrals(id);


--
-- Name: consultations consultations_from_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_from_hospital_fkey FOREIGN KEY (from_hospital) REFERENCES public.hospitals(code);


--
-- Name: consultations consultations_referral_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_referral_fkey FOREIGN KEY (referral) REFERENCES public.referrals(id);


--
-- Name: consultations consultations_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: consultations consultations_to_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_to_hospital_fkey FOREIGN KEY (to_hospital) REFERENCES public.hospitals(code);


--
-- Name: criteria_versions criteria_versions_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.criteria_versions
    ADD CONSTRAINT criteria_versions_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: membership_events membership_events_application_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_events
    ADD CONSTRAINT membership_events_application_fkey FOREIGN KEY (application) REFERENCES public.applications(id);


--
-- Name: memberships memberships_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: memberships memberships_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_hospital_fkey FOREIGN KEY (hospital) REFERENCES public.hospitals(code);


--
-- Name: outreach_bookings outreach_bookings_session_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_bookings
    ADD CONSTRAINT outreach_bookings_session_fkey FOREIGN KEY (session) REFERENCES public.outreach_sessions(id);


--
-- Name: outreach_sessions outreach_sessions_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_sessions
    ADD CONSTRAINT outreach_sessions_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: outreach_sessions outreach_sessions_expert_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_sessions
    ADD CONSTRAINT outreach_sessions_expert_fkey FOREIGN KEY (expert) REFERENCES public.users(login);


--
-- Name: outreach_sessions outreach_sessions_site_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_sessions
    ADD CONSTRAINT outreach_sessions_site_fkey FOREIGN KEY (site) REFERENCES public.hospitals(code);


--
-- Name: outreach_sessions outreach_sessions_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outreach_sessions
    ADD CONSTRAINT outreach_sessions_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: practice_records practice_records_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.practice_records
    ADD CONSTRAINT practice_records_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: practice_records practice_records_expert_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.practice_records
    ADD CONSTRAINT practice_records_expert_fkey FOREIGN KEY (expert) REFERENCES public.users(login);


--
-- Name: practice_records practice_records_site_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.practice_records
    ADD CONSTRAINT practice_records_site_fkey FOREIGN KEY (site) REFERENCES public.hospitals(code);


--
-- Name: practice_records practice_records_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.practice_records
    ADD CONSTRAINT practice_records_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: recognition_versions recognition_versions_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.recognition_versions
    ADD CONSTRAINT recognition_versions_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: referral_events referral_events_referral_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_events
    ADD CONSTRAINT referral_events_referral_fkey FOREIGN KEY (referral) REFERENCES public.referrals(id);


--
-- Name: referrals referrals_alliance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_alliance_fkey FOREIGN KEY (alliance) REFERENCES public.alliances(code);


--
-- Name: referrals referrals_consultation_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_consultation_fkey FOREIGN KEY (consultation) REFERENCES public.consultations(id);


--
-- Name: referrals referrals_from_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_from_hospital_fkey FOREIGN KEY (from_hospital) REFERENCES public.hospitals(code);


--
-- Name: referrals referrals_outreach_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_outreach_fkey FOREIGN KEY (outreach) REFERENCES public.outreach_sessions(id);


--
-- Name: referrals referrals_parent_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_parent_fkey FOREIGN KEY (parent) REFERENCES public.referrals(id);


--
-- Name: referrals referrals_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: referrals referrals_to_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_to_hospital_fkey FOREIGN KEY (to_hospital) REFERENCES public.hospitals(code);


--
-- Name: slots slots_hospital_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.slots
    ADD CONSTRAINT slots_hospital_fkey FOREIGN KEY (hospital) REFERENCES public.hospitals(code);


--
-- Name: slots slots_specialty_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.slots
    ADD CONSTRAINT slots_specialty_fkey FOREIGN KEY (specialty) REFERENCES public.specialties(code);


--
-- Name: access_log; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.access_log ENABLE ROW LEVEL SECURITY;

--
-- Name: alliances; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.alliances ENABLE ROW LEVEL SECURITY;

--
-- Name: applications applicant_and_core_see; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY applicant_and_core_see ON public.applications FOR SELECT USING (((hospital = ( SELECT public.yilian_hospital(CURRENT_USER) AS yilian_hospital)) OR (EXISTS ( SELECT
   FROM public.alliances a
  WHERE ((a.code = applications.alliance) AND (a.core = ( SELECT public.yilian_hospital(CURRENT_USER) AS yilian_hospital)))))));


--
-- Name: application_actions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.application_actions ENABLE ROW LEVEL SECURITY;

--
-- Name: applications; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.applications ENABLE ROW LEVEL SECURITY;

--
-- Name: access_log auditors_read; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY auditors_read ON public.access_log FOR SELECT USING (((( SELECT public.yilian_duty(CURRENT_USER) AS yilian_duty) = 'platform_admin'::text) OR ((hospital = ( SELECT public.yilian_hospital(CURRENT_USER) AS yilian_hospital)) AND (( SELECT public.yilian_duty(CURRENT_USER) AS yilian_duty) = 'auditor'::text))));


--
-- Name: burden; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.burden ENABLE ROW LEVEL SECURITY;

--
-- Name: consultation_actions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.consultation_actions ENABLE ROW LEVEL SECURITY;

--
-- Name: consultation_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.consultation_events ENABLE ROW LEVEL SECURITY;

--
-- Name: consultations; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.consultations ENABLE ROW LEVEL SECURITY;

--
-- Name: criteria_versions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.criteria_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: alliances everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.alliances FOR SELECT USING (true);


--
-- Name: application_actions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.application_actions FOR SELECT USING (true);


--
-- Name: consultation_actions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.consultation_actions FOR SELECT USING (true);


--
-- Name: criteria_versions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.criteria_versions FOR SELECT USING (true);


--
-- Name: hospitals everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.hospitals FOR SELECT USING (true);


--
-- Name: membership_actions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.membership_actions FOR SELECT USING (true);


--
-- Name: memberships everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.memberships FOR SELECT USING (true);


--
-- Name: outreach_sessions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.outreach_sessions FOR SELECT USING (true);


--
-- Name: practice_records everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.practice_records FOR SELECT USING (true);


--
-- Name: recognition_versions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.recognition_versions FOR SELECT USING (true);


--
-- Name: referral_actions everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.referral_actions FOR SELECT USING (true);


--
-- Name: schema_migrations everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.schema_migrations FOR SELECT USING (true);


--
-- Name: slots everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.slots FOR SELECT USING (true);


--
-- Name: specialties everyone_reads; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY everyone_reads ON public.specialties FOR SELECT USING (true);


--
-- Name: feed; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.feed ENABLE ROW LEVEL SECURITY;

--
-- Name: feed_numbering; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.feed_numbering ENABLE ROW LEVEL SECURITY;

--
-- Name: hospitals; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.hospitals ENABLE ROW LEVEL SECURITY;

--
-- Name: idempotency_keys; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.idempotency_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: membership_events member_and_core_see; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY member_and_core_see ON public.membership_events FOR SELECT USING (((( SELECT public.yilian_hospital(CURRENT_USER) AS yilian_hospital) = hospital) OR (( SELECT public.yilian_duty(CURRENT_USER) AS yilian_duty) = 'platform_admin'::text) OR (EXISTS ( SELECT
   FROM public.alliances a
  WHERE ((a.code = membership_events.alliance) AND (a.core = ( SELECT public.yilian_hospital(CURRENT_USER) AS yilian_hospital)))))));


--
-- Name: membership_actions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.membership_actions ENABLE ROW LEVEL SECURITY;

--
-- Name: membership_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.membership_events ENABLE ROW LEVEL SECURITY;

--
-- Name: memberships; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.memberships ENABLE ROW LEVEL SECURITY;

--
-- Name: outreach_bookings; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.outreach_bookings ENABLE ROW LEVEL SECURITY;

--
-- Name: outreach_sessions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.outreach_sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_key_secret; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.patient_key_secret ENABLE ROW LEVEL SECURITY;

--
-- Name: practice_records; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.practice_records ENABLE ROW LEVEL SECURITY;

--
-- Name: recognition_versions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.recognition_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: referral_actions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.referral_actions ENABLE ROW LEVEL SECURITY;

--
-- Name: referral_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.referral_events ENABLE ROW LEVEL SECURITY;

--
-- Name: referrals; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.referrals ENABLE ROW LEVEL SECURITY;

--
-- Name: resident_ids; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.resident_ids ENABLE ROW LEVEL SECURITY;

--
-- Name: schema_migrations; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.schema_migrations ENABLE ROW LEVEL SECURITY;

--
-- Name: users see_own_hospital; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY see_own_hospital ON public.users FOR SELECT USING (((hospital = ( SELECT public.yilian_hospital(CURRENT_USER) AS yilian_hospital)) OR (( SELECT public.yilian_duty(CURRENT_USER) AS yilian_duty) = 'platform_admin'::text)));


--
-- Name: sender_identifiers; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.sender_identifiers ENABLE ROW LEVEL SECURITY;

--
-- Name: slots; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.slots ENABLE ROW LEVEL SECURITY;

--
-- Name: specialties; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.specialties ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO yilian_user;


--
-- Name: SCHEMA yilian_api; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA yilian_api TO yilian_user;


--
-- Name: FUNCTION lo_creat(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.lo_creat(integer) FROM PUBLIC;


--
-- Name: FUNCTION lo_create(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.lo_create(oid) FROM PUBLIC;


--
-- Name: FUNCTION lo_from_bytea(oid, bytea); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) FROM PUBLIC;


--
-- Name: FUNCTION pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_activity(pid integer, OUT datid oid, OUT pid integer, OUT usesysid oid, OUT application_name text, OUT state text, OUT query text, OUT wait_event_type text, OUT wait_event text, OUT xact_start timestamp with time zone, OUT query_start timestamp with time zone, OUT backend_start timestamp with time zone, OUT state_change timestamp with time zone, OUT client_addr inet, OUT client_hostname text, OUT client_port integer, OUT backend_xid xid, OUT backend_xmin xid, OUT backend_type text, OUT ssl boolean, OUT sslversion text, OUT sslcipher text, OUT sslbits integer, OUT ssl_client_dn text, OUT ssl_client_serial numeric, OUT ssl_issuer_dn text, OUT gss_auth boolean, OUT gss_princ text, OUT gss_enc boolean, OUT leader_pid integer, OUT query_id bigint) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_analyze_count(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_analyze_count(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_analyze_count(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_analyze_count(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_archiver(OUT archived_count bigint, OUT last_archived_wal text, OUT last_archived_time timestamp with time zone, OUT failed_count bigint, OUT last_failed_wal text, OUT last_failed_time timestamp with time zone, OUT stats_reset timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_archiver(OUT archived_count bigint, OUT last_archived_wal text, OUT last_archived_time timestamp with time zone, OUT failed_count bigint, OUT last_failed_wal text, OUT last_failed_time timestamp with time zone, OUT stats_reset timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_archiver(OUT archived_count bigint, OUT last_archived_wal text, OUT last_archived_time timestamp with time zone, OUT failed_count bigint, OUT last_failed_wal text, OUT last_failed_time timestamp with time zone, OUT stats_reset timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_archiver(OUT archived_count bigint, OUT last_archived_wal text, OUT last_archived_time timestamp with time zone, OUT failed_count bigint, OUT last_failed_wal text, OUT last_failed_time timestamp with time zone, OUT stats_reset timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_autoanalyze_count(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_autoanalyze_count(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_autoanalyze_count(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_autoanalyze_count(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_autovacuum_count(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_autovacuum_count(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_autovacuum_count(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_autovacuum_count(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_activity(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_activity_start(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity_start(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity_start(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_activity_start(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_client_addr(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_client_addr(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_client_addr(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_client_addr(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_client_port(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_client_port(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_client_port(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_client_port(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_dbid(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_dbid(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_dbid(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_dbid(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_idset(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_idset() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_idset() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_idset() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_pid(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_pid(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_pid(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_pid(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_start(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_start(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_start(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_start(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_userid(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_userid(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_userid(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_userid(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_wait_event(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_wait_event(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_wait_event(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_wait_event(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_wait_event_type(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_wait_event_type(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_wait_event_type(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_wait_event_type(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_backend_xact_start(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_backend_xact_start(integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_xact_start(integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_backend_xact_start(integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_bgwriter_buf_written_checkpoints(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_buf_written_checkpoints() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_buf_written_checkpoints() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_buf_written_checkpoints() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_bgwriter_buf_written_clean(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_buf_written_clean() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_buf_written_clean() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_buf_written_clean() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_bgwriter_maxwritten_clean(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_maxwritten_clean() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_maxwritten_clean() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_maxwritten_clean() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_bgwriter_requested_checkpoints(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_requested_checkpoints() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_requested_checkpoints() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_requested_checkpoints() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_bgwriter_stat_reset_time(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_stat_reset_time() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_stat_reset_time() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_stat_reset_time() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_bgwriter_timed_checkpoints(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_timed_checkpoints() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_timed_checkpoints() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_bgwriter_timed_checkpoints() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_blocks_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_fetched(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_blocks_hit(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_blocks_hit(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_buf_alloc(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_buf_alloc() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_buf_alloc() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_buf_alloc() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_buf_fsync_backend(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_buf_fsync_backend() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_buf_fsync_backend() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_buf_fsync_backend() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_buf_written_backend(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_buf_written_backend() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_buf_written_backend() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_buf_written_backend() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_checkpoint_sync_time(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_checkpoint_sync_time() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_checkpoint_sync_time() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_checkpoint_sync_time() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_checkpoint_write_time(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_checkpoint_write_time() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_checkpoint_write_time() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_checkpoint_write_time() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_active_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_active_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_active_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_active_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_blk_read_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_blk_read_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blk_read_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blk_read_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_blk_write_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_blk_write_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blk_write_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blk_write_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_blocks_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_blocks_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blocks_fetched(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blocks_fetched(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_blocks_hit(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_blocks_hit(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blocks_hit(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_blocks_hit(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_checksum_failures(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_checksum_failures(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_checksum_failures(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_checksum_failures(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_checksum_last_failure(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_checksum_last_failure(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_checksum_last_failure(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_checksum_last_failure(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_conflict_all(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_all(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_all(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_all(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_conflict_bufferpin(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_bufferpin(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_bufferpin(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_bufferpin(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_conflict_lock(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_lock(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_lock(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_lock(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_conflict_snapshot(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_snapshot(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_snapshot(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_snapshot(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_conflict_startup_deadlock(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_startup_deadlock(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_startup_deadlock(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_startup_deadlock(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_conflict_tablespace(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_tablespace(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_tablespace(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_conflict_tablespace(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_deadlocks(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_deadlocks(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_deadlocks(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_deadlocks(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_idle_in_transaction_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_idle_in_transaction_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_idle_in_transaction_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_idle_in_transaction_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_numbackends(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_numbackends(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_numbackends(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_numbackends(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_session_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_session_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_session_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_session_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_sessions(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_sessions_abandoned(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_abandoned(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_abandoned(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_abandoned(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_sessions_fatal(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_fatal(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_fatal(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_fatal(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_sessions_killed(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_killed(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_killed(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_sessions_killed(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_stat_reset_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_stat_reset_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_stat_reset_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_stat_reset_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_temp_bytes(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_temp_bytes(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_temp_bytes(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_temp_bytes(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_temp_files(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_temp_files(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_temp_files(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_temp_files(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_tuples_deleted(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_deleted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_deleted(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_deleted(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_tuples_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_fetched(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_fetched(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_tuples_inserted(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_inserted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_inserted(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_inserted(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_tuples_returned(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_returned(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_returned(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_returned(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_tuples_updated(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_updated(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_tuples_updated(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_xact_commit(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_xact_commit(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_xact_commit(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_xact_commit(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_db_xact_rollback(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_db_xact_rollback(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_xact_rollback(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_db_xact_rollback(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_dead_tuples(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_dead_tuples(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_function_calls(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_function_calls(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_function_calls(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_function_calls(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_function_self_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_function_self_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_function_self_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_function_self_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_function_total_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_function_total_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_function_total_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_function_total_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_ins_since_vacuum(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_ins_since_vacuum(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_last_analyze_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_last_analyze_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_analyze_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_analyze_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_last_autoanalyze_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_last_autoanalyze_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_autoanalyze_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_autoanalyze_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_last_autovacuum_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_last_autovacuum_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_autovacuum_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_autovacuum_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_last_vacuum_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_last_vacuum_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_vacuum_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_last_vacuum_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_live_tuples(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_live_tuples(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_mod_since_analyze(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_mod_since_analyze(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_numscans(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_numscans(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_progress_info(cmdtype text, OUT pid integer, OUT datid oid, OUT relid oid, OUT param1 bigint, OUT param2 bigint, OUT param3 bigint, OUT param4 bigint, OUT param5 bigint, OUT param6 bigint, OUT param7 bigint, OUT param8 bigint, OUT param9 bigint, OUT param10 bigint, OUT param11 bigint, OUT param12 bigint, OUT param13 bigint, OUT param14 bigint, OUT param15 bigint, OUT param16 bigint, OUT param17 bigint, OUT param18 bigint, OUT param19 bigint, OUT param20 bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_progress_info(cmdtype text, OUT pid integer, OUT datid oid, OUT relid oid, OUT param1 bigint, OUT param2 bigint, OUT param3 bigint, OUT param4 bigint, OUT param5 bigint, OUT param6 bigint, OUT param7 bigint, OUT param8 bigint, OUT param9 bigint, OUT param10 bigint, OUT param11 bigint, OUT param12 bigint, OUT param13 bigint, OUT param14 bigint, OUT param15 bigint, OUT param16 bigint, OUT param17 bigint, OUT param18 bigint, OUT param19 bigint, OUT param20 bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_progress_info(cmdtype text, OUT pid integer, OUT datid oid, OUT relid oid, OUT param1 bigint, OUT param2 bigint, OUT param3 bigint, OUT param4 bigint, OUT param5 bigint, OUT param6 bigint, OUT param7 bigint, OUT param8 bigint, OUT param9 bigint, OUT param10 bigint, OUT param11 bigint, OUT param12 bigint, OUT param13 bigint, OUT param14 bigint, OUT param15 bigint, OUT param16 bigint, OUT param17 bigint, OUT param18 bigint, OUT param19 bigint, OUT param20 bigint) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_progress_info(cmdtype text, OUT pid integer, OUT datid oid, OUT relid oid, OUT param1 bigint, OUT param2 bigint, OUT param3 bigint, OUT param4 bigint, OUT param5 bigint, OUT param6 bigint, OUT param7 bigint, OUT param8 bigint, OUT param9 bigint, OUT param10 bigint, OUT param11 bigint, OUT param12 bigint, OUT param13 bigint, OUT param14 bigint, OUT param15 bigint, OUT param16 bigint, OUT param17 bigint, OUT param18 bigint, OUT param19 bigint, OUT param20 bigint) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_recovery_prefetch(OUT stats_reset timestamp with time zone, OUT prefetch bigint, OUT hit bigint, OUT skip_init bigint, OUT skip_new bigint, OUT skip_fpw bigint, OUT skip_rep bigint, OUT wal_distance integer, OUT block_distance integer, OUT io_depth integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_recovery_prefetch(OUT stats_reset timestamp with time zone, OUT prefetch bigint, OUT hit bigint, OUT skip_init bigint, OUT skip_new bigint, OUT skip_fpw bigint, OUT skip_rep bigint, OUT wal_distance integer, OUT block_distance integer, OUT io_depth integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_recovery_prefetch(OUT stats_reset timestamp with time zone, OUT prefetch bigint, OUT hit bigint, OUT skip_init bigint, OUT skip_new bigint, OUT skip_fpw bigint, OUT skip_rep bigint, OUT wal_distance integer, OUT block_distance integer, OUT io_depth integer) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_recovery_prefetch(OUT stats_reset timestamp with time zone, OUT prefetch bigint, OUT hit bigint, OUT skip_init bigint, OUT skip_new bigint, OUT skip_fpw bigint, OUT skip_rep bigint, OUT wal_distance integer, OUT block_distance integer, OUT io_depth integer) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_replication_slot(slot_name text, OUT slot_name text, OUT spill_txns bigint, OUT spill_count bigint, OUT spill_bytes bigint, OUT stream_txns bigint, OUT stream_count bigint, OUT stream_bytes bigint, OUT total_txns bigint, OUT total_bytes bigint, OUT stats_reset timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_replication_slot(slot_name text, OUT slot_name text, OUT spill_txns bigint, OUT spill_count bigint, OUT spill_bytes bigint, OUT stream_txns bigint, OUT stream_count bigint, OUT stream_bytes bigint, OUT total_txns bigint, OUT total_bytes bigint, OUT stats_reset timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_replication_slot(slot_name text, OUT slot_name text, OUT spill_txns bigint, OUT spill_count bigint, OUT spill_bytes bigint, OUT stream_txns bigint, OUT stream_count bigint, OUT stream_bytes bigint, OUT total_txns bigint, OUT total_bytes bigint, OUT stats_reset timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_replication_slot(slot_name text, OUT slot_name text, OUT spill_txns bigint, OUT spill_count bigint, OUT spill_bytes bigint, OUT stream_txns bigint, OUT stream_count bigint, OUT stream_bytes bigint, OUT total_txns bigint, OUT total_bytes bigint, OUT stats_reset timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_slru(OUT name text, OUT blks_zeroed bigint, OUT blks_hit bigint, OUT blks_read bigint, OUT blks_written bigint, OUT blks_exists bigint, OUT flushes bigint, OUT truncates bigint, OUT stats_reset timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_slru(OUT name text, OUT blks_zeroed bigint, OUT blks_hit bigint, OUT blks_read bigint, OUT blks_written bigint, OUT blks_exists bigint, OUT flushes bigint, OUT truncates bigint, OUT stats_reset timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_slru(OUT name text, OUT blks_zeroed bigint, OUT blks_hit bigint, OUT blks_read bigint, OUT blks_written bigint, OUT blks_exists bigint, OUT flushes bigint, OUT truncates bigint, OUT stats_reset timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_slru(OUT name text, OUT blks_zeroed bigint, OUT blks_hit bigint, OUT blks_read bigint, OUT blks_written bigint, OUT blks_exists bigint, OUT flushes bigint, OUT truncates bigint, OUT stats_reset timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_snapshot_timestamp(); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_snapshot_timestamp() FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_snapshot_timestamp() TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_snapshot_timestamp() TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_subscription(subid oid, OUT subid oid, OUT relid oid, OUT pid integer, OUT received_lsn pg_lsn, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_subscription(subid oid, OUT subid oid, OUT relid oid, OUT pid integer, OUT received_lsn pg_lsn, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_subscription(subid oid, OUT subid oid, OUT relid oid, OUT pid integer, OUT received_lsn pg_lsn, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_subscription(subid oid, OUT subid oid, OUT relid oid, OUT pid integer, OUT received_lsn pg_lsn, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_subscription_stats(subid oid, OUT subid oid, OUT apply_error_count bigint, OUT sync_error_count bigint, OUT stats_reset timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_subscription_stats(subid oid, OUT subid oid, OUT apply_error_count bigint, OUT sync_error_count bigint, OUT stats_reset timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_subscription_stats(subid oid, OUT subid oid, OUT apply_error_count bigint, OUT sync_error_count bigint, OUT stats_reset timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_subscription_stats(subid oid, OUT subid oid, OUT apply_error_count bigint, OUT sync_error_count bigint, OUT stats_reset timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_tuples_deleted(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_deleted(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_tuples_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_fetched(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_tuples_hot_updated(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_hot_updated(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_tuples_inserted(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_inserted(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_tuples_returned(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_returned(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_tuples_updated(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_tuples_updated(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_vacuum_count(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_vacuum_count(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_vacuum_count(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_vacuum_count(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_wal(OUT wal_records bigint, OUT wal_fpi bigint, OUT wal_bytes numeric, OUT wal_buffers_full bigint, OUT wal_write bigint, OUT wal_sync bigint, OUT wal_write_time double precision, OUT wal_sync_time double precision, OUT stats_reset timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_wal(OUT wal_records bigint, OUT wal_fpi bigint, OUT wal_bytes numeric, OUT wal_buffers_full bigint, OUT wal_write bigint, OUT wal_sync bigint, OUT wal_write_time double precision, OUT wal_sync_time double precision, OUT stats_reset timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_wal(OUT wal_records bigint, OUT wal_fpi bigint, OUT wal_bytes numeric, OUT wal_buffers_full bigint, OUT wal_write bigint, OUT wal_sync bigint, OUT wal_write_time double precision, OUT wal_sync_time double precision, OUT stats_reset timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_wal(OUT wal_records bigint, OUT wal_fpi bigint, OUT wal_bytes numeric, OUT wal_buffers_full bigint, OUT wal_write bigint, OUT wal_sync bigint, OUT wal_write_time double precision, OUT wal_sync_time double precision, OUT stats_reset timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_wal_receiver(OUT pid integer, OUT status text, OUT receive_start_lsn pg_lsn, OUT receive_start_tli integer, OUT written_lsn pg_lsn, OUT flushed_lsn pg_lsn, OUT received_tli integer, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone, OUT slot_name text, OUT sender_host text, OUT sender_port integer, OUT conninfo text); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_wal_receiver(OUT pid integer, OUT status text, OUT receive_start_lsn pg_lsn, OUT receive_start_tli integer, OUT written_lsn pg_lsn, OUT flushed_lsn pg_lsn, OUT received_tli integer, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone, OUT slot_name text, OUT sender_host text, OUT sender_port integer, OUT conninfo text) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_wal_receiver(OUT pid integer, OUT status text, OUT receive_start_lsn pg_lsn, OUT receive_start_tli integer, OUT written_lsn pg_lsn, OUT flushed_lsn pg_lsn, OUT received_tli integer, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone, OUT slot_name text, OUT sender_host text, OUT sender_port integer, OUT conninfo text) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_wal_receiver(OUT pid integer, OUT status text, OUT receive_start_lsn pg_lsn, OUT receive_start_tli integer, OUT written_lsn pg_lsn, OUT flushed_lsn pg_lsn, OUT received_tli integer, OUT last_msg_send_time timestamp with time zone, OUT last_msg_receipt_time timestamp with time zone, OUT latest_end_lsn pg_lsn, OUT latest_end_time timestamp with time zone, OUT slot_name text, OUT sender_host text, OUT sender_port integer, OUT conninfo text) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_wal_senders(OUT pid integer, OUT state text, OUT sent_lsn pg_lsn, OUT write_lsn pg_lsn, OUT flush_lsn pg_lsn, OUT replay_lsn pg_lsn, OUT write_lag interval, OUT flush_lag interval, OUT replay_lag interval, OUT sync_priority integer, OUT sync_state text, OUT reply_time timestamp with time zone); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_wal_senders(OUT pid integer, OUT state text, OUT sent_lsn pg_lsn, OUT write_lsn pg_lsn, OUT flush_lsn pg_lsn, OUT replay_lsn pg_lsn, OUT write_lag interval, OUT flush_lag interval, OUT replay_lag interval, OUT sync_priority integer, OUT sync_state text, OUT reply_time timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_wal_senders(OUT pid integer, OUT state text, OUT sent_lsn pg_lsn, OUT write_lsn pg_lsn, OUT flush_lsn pg_lsn, OUT replay_lsn pg_lsn, OUT write_lag interval, OUT flush_lag interval, OUT replay_lag interval, OUT sync_priority integer, OUT sync_state text, OUT reply_time timestamp with time zone) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_wal_senders(OUT pid integer, OUT state text, OUT sent_lsn pg_lsn, OUT write_lsn pg_lsn, OUT flush_lsn pg_lsn, OUT replay_lsn pg_lsn, OUT write_lag interval, OUT flush_lag interval, OUT replay_lag interval, OUT sync_priority integer, OUT sync_state text, OUT reply_time timestamp with time zone) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_blocks_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_fetched(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_blocks_hit(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_blocks_hit(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_function_calls(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_calls(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_calls(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_calls(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_function_self_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_self_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_self_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_self_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_function_total_time(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_total_time(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_total_time(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_function_total_time(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_numscans(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_numscans(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_tuples_deleted(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_deleted(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_tuples_fetched(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_fetched(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_tuples_hot_updated(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_hot_updated(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_tuples_inserted(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_inserted(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_tuples_returned(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_returned(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION pg_stat_get_xact_tuples_updated(oid); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) FROM PUBLIC;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) TO yilian;
GRANT ALL ON FUNCTION pg_catalog.pg_stat_get_xact_tuples_updated(oid) TO pg_read_all_stats;


--
-- Name: FUNCTION access_log_only_grows(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.access_log_only_grows() FROM PUBLIC;


--
-- Name: FUNCTION feed_copy_consultation_event(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.feed_copy_consultation_event() FROM PUBLIC;


--
-- Name: FUNCTION feed_copy_membership_event(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.feed_copy_membership_event() FROM PUBLIC;


--
-- Name: FUNCTION feed_copy_referral_event(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.feed_copy_referral_event() FROM PUBLIC;


--
-- Name: FUNCTION refuse_event_change(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.refuse_event_change() FROM PUBLIC;


--
-- Name: FUNCTION yilian_act_as(login text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_act_as(login text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_act_as(login text) TO yilian_user;


--
-- Name: FUNCTION yilian_caller(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_caller() FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_caller() TO yilian_user;


--
-- Name: FUNCTION yilian_consultation_indicators(alliance text, from_day date, to_day date); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_consultation_indicators(alliance text, from_day date, to_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_consultation_indicators(alliance text, from_day date, to_day date) TO yilian_user;


--
-- Name: FUNCTION yilian_duty(role name); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_duty(role name) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_duty(role name) TO yilian_user;


--
-- Name: FUNCTION yilian_end_long_transactions(longer_than interval); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_end_long_transactions(longer_than interval) FROM PUBLIC;


--
-- Name: FUNCTION yilian_feed_advance(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_feed_advance() FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_feed_advance() TO yilian_user;


--
-- Name: FUNCTION yilian_feed_channel(hospital text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_feed_channel(hospital text) FROM PUBLIC;


--
-- Name: FUNCTION yilian_feed_notify(concerned text[]); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_feed_notify(concerned text[]) FROM PUBLIC;


--
-- Name: FUNCTION yilian_handles_referrals(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_handles_referrals() FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_handles_referrals() TO yilian_user;


--
-- Name: FUNCTION yilian_hospital(role name); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_hospital(role name) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_hospital(role name) TO yilian_user;


--
-- Name: FUNCTION yilian_keep_resident_id(id_number text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_keep_resident_id(id_number text) FROM PUBLIC;


--
-- Name: FUNCTION yilian_listen(hospital text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_listen(hospital text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_listen(hospital text) TO yilian_user;


--
-- Name: FUNCTION yilian_masked_id(id_number text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_masked_id(id_number text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_masked_id(id_number text) TO yilian_user;


--
-- Name: FUNCTION yilian_outreach_indicators(alliance text, from_day date, to_day date); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_outreach_indicators(alliance text, from_day date, to_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_outreach_indicators(alliance text, from_day date, to_day date) TO yilian_user;


--
-- Name: FUNCTION yilian_patient_key(id_number text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_patient_key(id_number text) FROM PUBLIC;


--
-- Name: FUNCTION yilian_patient_seen_by(name text, birth_date text, hospitals text[]); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_patient_seen_by(name text, birth_date text, hospitals text[]) FROM PUBLIC;


--
-- Name: FUNCTION yilian_patient_stored_masked(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_patient_stored_masked() FROM PUBLIC;


--
-- Name: FUNCTION yilian_reads_indicators(alliance text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_reads_indicators(alliance text) FROM PUBLIC;


--
-- Name: FUNCTION yilian_recognition_indicators(alliance text, from_day date, to_day date); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_recognition_indicators(alliance text, from_day date, to_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_recognition_indicators(alliance text, from_day date, to_day date) TO yilian_user;


--
-- Name: FUNCTION yilian_referral_indicators(alliance text, from_day date, to_day date, moment timestamp with time zone, by_month boolean); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_referral_indicators(alliance text, from_day date, to_day date, moment timestamp with time zone, by_month boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_referral_indicators(alliance text, from_day date, to_day date, moment timestamp with time zone, by_month boolean) TO yilian_user;


--
-- Name: FUNCTION yilian_rejection_indicators(alliance text, from_day date, to_day date, by_month boolean); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_rejection_indicators(alliance text, from_day date, to_day date, by_month boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_rejection_indicators(alliance text, from_day date, to_day date, by_month boolean) TO yilian_user;


--
-- Name: FUNCTION yilian_request_within_limits(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_request_within_limits() FROM PUBLIC;


--
-- Name: FUNCTION yilian_sync_login(target text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_sync_login(target text) FROM PUBLIC;


--
-- Name: FUNCTION yilian_valid_attachments(a jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_valid_attachments(a jsonb) FROM PUBLIC;


--
-- Name: FUNCTION yilian_valid_diagnoses(d jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_valid_diagnoses(d jsonb) FROM PUBLIC;


--
-- Name: FUNCTION yilian_valid_opinions(o jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_valid_opinions(o jsonb) FROM PUBLIC;


--
-- Name: FUNCTION yilian_valid_outcome(o jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_valid_outcome(o jsonb) FROM PUBLIC;


--
-- Name: FUNCTION yilian_valid_patient(p jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_valid_patient(p jsonb) FROM PUBLIC;


--
-- Name: FUNCTION yilian_visible_patient_key(id_number text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_visible_patient_key(id_number text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_visible_patient_key(id_number text) TO yilian_user;


--
-- Name: FUNCTION yilian_worklist_counts(code text, moment timestamp with time zone); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.yilian_worklist_counts(code text, moment timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.yilian_worklist_counts(code text, moment timestamp with time zone) TO yilian_user;


--
-- Name: FUNCTION access_records(of_hospital text, referral text, from_at timestamp with time zone, to_at timestamp with time zone, before_seq bigint, lim integer); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.access_records(of_hospital text, referral text, from_at timestamp with time zone, to_at timestamp with time zone, before_seq bigint, lim integer) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.access_records(of_hospital text, referral text, from_at timestamp with time zone, to_at timestamp with time zone, before_seq bigint, lim integer) TO yilian_user;


--
-- Name: FUNCTION act_on_application(application_id text, action text, status text, version integer, facts jsonb, criteria_version integer, evaluation jsonb, decision_reason text, override text, at timestamp with time zone, actor text, reason text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.act_on_application(application_id text, action text, status text, version integer, facts jsonb, criteria_version integer, evaluation jsonb, decision_reason text, override text, at timestamp with time zone, actor text, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.act_on_application(application_id text, action text, status text, version integer, facts jsonb, criteria_version integer, evaluation jsonb, decision_reason text, override text, at timestamp with time zone, actor text, reason text) TO yilian_user;


--
-- Name: FUNCTION add_user(login text, duty text, verifier text, display_name text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.add_user(login text, duty text, verifier text, display_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.add_user(login text, duty text, verifier text, display_name text) TO yilian_user;


--
-- Name: FUNCTION applications(application_id text, of_alliance text, of_status text, after_id text, lim integer); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.applications(application_id text, of_alliance text, of_status text, after_id text, lim integer) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.applications(application_id text, of_alliance text, of_status text, after_id text, lim integer) TO yilian_user;


--
-- Name: FUNCTION apply_for_membership(alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.apply_for_membership(alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.apply_for_membership(alliance text, hospital text, role text, facts jsonb, criteria_version integer, evaluation jsonb, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION is_outreach_patient(p jsonb); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.is_outreach_patient(p jsonb) FROM PUBLIC;


--
-- Name: FUNCTION book_outreach(session_id text, patient jsonb, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.book_outreach(session_id text, patient jsonb, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.book_outreach(session_id text, patient jsonb, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION burden(of_year integer); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.burden(of_year integer) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.burden(of_year integer) TO yilian_user;


--
-- Name: FUNCTION caller(OUT login text, OUT hospital text, OUT duty text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.caller(OUT login text, OUT hospital text, OUT duty text) FROM PUBLIC;


--
-- Name: FUNCTION cancel_outreach(session_id text, booking integer, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.cancel_outreach(session_id text, booking integer, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.cancel_outreach(session_id text, booking integer, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION change_membership(alliance text, hospital text, action text, status text, at timestamp with time zone, actor text, reason text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.change_membership(alliance text, hospital text, action text, status text, at timestamp with time zone, actor text, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.change_membership(alliance text, hospital text, action text, status text, at timestamp with time zone, actor text, reason text) TO yilian_user;


--
-- Name: FUNCTION claim_key(key text, method text, params jsonb, OUT claimed boolean, OUT result text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.claim_key(key text, method text, params jsonb, OUT claimed boolean, OUT result text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.claim_key(key text, method text, params jsonb, OUT claimed boolean, OUT result text) TO yilian_user;


--
-- Name: FUNCTION complete_key(key text, result text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.complete_key(key text, result text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.complete_key(key text, result text) TO yilian_user;


--
-- Name: FUNCTION is_sender_identifier(identifier jsonb); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.is_sender_identifier(identifier jsonb) FROM PUBLIC;


--
-- Name: FUNCTION consultation(actor text, method text, consultation_id text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.consultation(actor text, method text, consultation_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.consultation(actor text, method text, consultation_id text) TO yilian_user;


--
-- Name: FUNCTION consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text) TO yilian_user;


--
-- Name: FUNCTION consultation_events(actor text, method text, consultation_id text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.consultation_events(actor text, method text, consultation_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.consultation_events(actor text, method text, consultation_id text) TO yilian_user;


--
-- Name: FUNCTION consultations(actor text, method text, hospital text, statuses text[], after text, lim integer, open_only boolean); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.consultations(actor text, method text, hospital text, statuses text[], after text, lim integer, open_only boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.consultations(actor text, method text, hospital text, statuses text[], after text, lim integer, open_only boolean) TO yilian_user;


--
-- Name: FUNCTION continuations(referral_id text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.continuations(referral_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.continuations(referral_id text) TO yilian_user;


--
-- Name: FUNCTION create_alliance(code text, name text, specialty text, core text, emergency_hours integer, urgent_hours integer, routine_hours integer, time_zone text, slot_lead_days integer, slot_rule text, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.create_alliance(code text, name text, specialty text, core text, emergency_hours integer, urgent_hours integer, routine_hours integer, time_zone text, slot_lead_days integer, slot_rule text, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.create_alliance(code text, name text, specialty text, core text, emergency_hours integer, urgent_hours integer, routine_hours integer, time_zone text, slot_lead_days integer, slot_rule text, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION disable_user(login text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.disable_user(login text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.disable_user(login text) TO yilian_user;


--
-- Name: FUNCTION display_name(login text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.display_name(login text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.display_name(login text) TO yilian_user;


--
-- Name: FUNCTION due(at timestamp with time zone); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.due(at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.due(at timestamp with time zone) TO yilian_user;


--
-- Name: FUNCTION feed(actor text, since bigint, lim integer); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.feed(actor text, since bigint, lim integer) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.feed(actor text, since bigint, lim integer) TO yilian_user;


--
-- Name: FUNCTION file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, sender_identifier jsonb, outreach text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, sender_identifier jsonb, outreach text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, sender_identifier jsonb, outreach text) TO yilian_user;


--
-- Name: FUNCTION import_burden(districts text[], specialties text[], years integer[], cases integer[], incidences double precision[], at timestamp with time zone); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.import_burden(districts text[], specialties text[], years integer[], cases integer[], incidences double precision[], at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.import_burden(districts text[], specialties text[], years integer[], cases integer[], incidences double precision[], at timestamp with time zone) TO yilian_user;


--
-- Name: FUNCTION is_core_admin(me_hospital text, me_duty text, alliance text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.is_core_admin(me_hospital text, me_duty text, alliance text) FROM PUBLIC;


--
-- Name: FUNCTION is_owner(login text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.is_owner(login text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.is_owner(login text) TO yilian_user;


--
-- Name: FUNCTION latest_facts(of_alliance text, of_hospital text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.latest_facts(of_alliance text, of_hospital text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.latest_facts(of_alliance text, of_hospital text) TO yilian_user;


--
-- Name: FUNCTION log_access(actor text, method text, referrals text[]); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.log_access(actor text, method text, referrals text[]) FROM PUBLIC;


--
-- Name: FUNCTION may_act_for(actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.may_act_for(actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.may_act_for(actor text) TO yilian_user;


--
-- Name: FUNCTION may_name(actor text, caller_login text, caller_hospital text, caller_duty text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.may_name(actor text, caller_login text, caller_hospital text, caller_duty text) FROM PUBLIC;


--
-- Name: FUNCTION may_read_for(actor text, caller_login text, caller_hospital text, caller_duty text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.may_read_for(actor text, caller_login text, caller_hospital text, caller_duty text) FROM PUBLIC;


--
-- Name: FUNCTION membership_history(of_alliance text, of_hospital text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.membership_history(of_alliance text, of_hospital text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.membership_history(of_alliance text, of_hospital text) TO yilian_user;


--
-- Name: FUNCTION named_duty(actor text, caller_login text, caller_hospital text, caller_duty text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.named_duty(actor text, caller_login text, caller_hospital text, caller_duty text) FROM PUBLIC;


--
-- Name: FUNCTION on_time(at timestamp with time zone); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.on_time(at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION open_referrals(name text, sex text, birth_date text, id_number text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.open_referrals(name text, sex text, birth_date text, id_number text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.open_referrals(name text, sex text, birth_date text, id_number text) TO yilian_user;


--
-- Name: FUNCTION outreach_bookings(actor text, method text, session_ids text[]); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.outreach_bookings(actor text, method text, session_ids text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.outreach_bookings(actor text, method text, session_ids text[]) TO yilian_user;


--
-- Name: TABLE outreach_sessions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.outreach_sessions TO yilian_user;


--
-- Name: FUNCTION publish_outreach(alliance text, expert text, site text, day date, kind text, capacity integer, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.publish_outreach(alliance text, expert text, site text, day date, kind text, capacity integer, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.publish_outreach(alliance text, expert text, site text, day date, kind text, capacity integer, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: TABLE slots; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.slots TO yilian_user;


--
-- Name: FUNCTION publish_slots(hospital text, specialty text, days date[], capacity integer, expert integer, total integer, at timestamp with time zone); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.publish_slots(hospital text, specialty text, days date[], capacity integer, expert integer, total integer, at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.publish_slots(hospital text, specialty text, days date[], capacity integer, expert integer, total integer, at timestamp with time zone) TO yilian_user;


--
-- Name: FUNCTION reads_as(kind text, method text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.reads_as(kind text, method text) FROM PUBLIC;


--
-- Name: FUNCTION referral(actor text, method text, referral_id text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.referral(actor text, method text, referral_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.referral(actor text, method text, referral_id text) TO yilian_user;


--
-- Name: FUNCTION referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb) TO yilian_user;


--
-- Name: FUNCTION referral_events(actor text, method text, referral_id text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.referral_events(actor text, method text, referral_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.referral_events(actor text, method text, referral_id text) TO yilian_user;


--
-- Name: FUNCTION referrals(actor text, alliance text, hospital text, side text, statuses text[], direction text, priority text, overdue boolean, at timestamp with time zone, after text, lim integer, id_number text, name text, birth_date text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.referrals(actor text, alliance text, hospital text, side text, statuses text[], direction text, priority text, overdue boolean, at timestamp with time zone, after text, lim integer, id_number text, name text, birth_date text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.referrals(actor text, alliance text, hospital text, side text, statuses text[], direction text, priority text, overdue boolean, at timestamp with time zone, after text, lim integer, id_number text, name text, birth_date text) TO yilian_user;


--
-- Name: FUNCTION register_hospitals(codes text[], names text[], levels smallint[], grades text[], kinds text[], districts text[], beds integer[], departments text[], facts jsonb[], at timestamp with time zone); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.register_hospitals(codes text[], names text[], levels smallint[], grades text[], kinds text[], districts text[], beds integer[], departments text[], facts jsonb[], at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.register_hospitals(codes text[], names text[], levels smallint[], grades text[], kinds text[], districts text[], beds integer[], departments text[], facts jsonb[], at timestamp with time zone) TO yilian_user;


--
-- Name: TABLE practice_records; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.practice_records TO yilian_user;


--
-- Name: FUNCTION register_practice(alliance text, expert text, title text, specialty text, site text, filing_number text, valid_from date, valid_until date, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.register_practice(alliance text, expert text, title text, specialty text, site text, filing_number text, valid_from date, valid_until date, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.register_practice(alliance text, expert text, title text, specialty text, site text, filing_number text, valid_from date, valid_until date, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, sender_identifier jsonb); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, sender_identifier jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, sender_identifier jsonb) TO yilian_user;


--
-- Name: FUNCTION required_level(role text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.required_level(role text) FROM PUBLIC;


--
-- Name: FUNCTION sees(hospital text, parties text[]); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.sees(hospital text, parties text[]) FROM PUBLIC;


--
-- Name: FUNCTION sent_case(system text, value text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.sent_case(system text, value text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.sent_case(system text, value text) TO yilian_user;


--
-- Name: FUNCTION set_criteria(alliance text, document jsonb, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.set_criteria(alliance text, document jsonb, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.set_criteria(alliance text, document jsonb, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION set_recognition(alliance text, document jsonb, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.set_recognition(alliance text, document jsonb, at timestamp with time zone, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.set_recognition(alliance text, document jsonb, at timestamp with time zone, actor text) TO yilian_user;


--
-- Name: FUNCTION slot_policy(hospital text, specialty text, OUT time_zone text, OUT lead_days integer); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.slot_policy(hospital text, specialty text, OUT time_zone text, OUT lead_days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.slot_policy(hospital text, specialty text, OUT time_zone text, OUT lead_days integer) TO yilian_user;


--
-- Name: FUNCTION unkeyed(c public.consultations); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.unkeyed(c public.consultations) FROM PUBLIC;


--
-- Name: FUNCTION unkeyed(r public.referrals); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.unkeyed(r public.referrals) FROM PUBLIC;


--
-- Name: FUNCTION worklist(actor text, hospital text, at timestamp with time zone, lim integer); Type: ACL; Schema: yilian_api; Owner: -
--

REVOKE ALL ON FUNCTION yilian_api.worklist(actor text, hospital text, at timestamp with time zone, lim integer) FROM PUBLIC;
GRANT ALL ON FUNCTION yilian_api.worklist(actor text, hospital text, at timestamp with time zone, lim integer) TO yilian_user;


--
-- Name: FUNCTION alliance_today(alliance text, at timestamp with time zone); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.alliance_today(alliance text, at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION appointment_not_past(); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.appointment_not_past() FROM PUBLIC;


--
-- Name: FUNCTION calendar_date(value text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.calendar_date(value text) FROM PUBLIC;


--
-- Name: FUNCTION consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.consultation_action(consultation_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, decline_code text, scheduled_at timestamp with time zone, recommendation text, converted_to text) FROM PUBLIC;


--
-- Name: FUNCTION copied_key(patient jsonb, referral text, consultation text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.copied_key(patient jsonb, referral text, consultation text) FROM PUBLIC;


--
-- Name: FUNCTION decide_recognition(); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.decide_recognition() FROM PUBLIC;


--
-- Name: FUNCTION file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, patient_key text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.file_referral(alliance text, direction text, setting text, priority text, from_hospital text, to_hospital text, patient jsonb, consent boolean, diagnosis jsonb, reason text, summary text, attachments jsonb, parent text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, event_reason text, details jsonb, consultation text, patient_key text) FROM PUBLIC;


--
-- Name: FUNCTION is_active_member(alliance text, site text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.is_active_member(alliance text, site text) FROM PUBLIC;


--
-- Name: FUNCTION is_recognition_catalogue(document jsonb); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.is_recognition_catalogue(document jsonb) FROM PUBLIC;


--
-- Name: FUNCTION numbered(prefix text, n bigint); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.numbered(prefix text, n bigint) FROM PUBLIC;


--
-- Name: FUNCTION outreach_of_receiver(); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.outreach_of_receiver() FROM PUBLIC;


--
-- Name: FUNCTION recognition(alliance text, attachment jsonb, day date); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.recognition(alliance text, attachment jsonb, day date) FROM PUBLIC;


--
-- Name: FUNCTION referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.referral_action(referral_id text, action text, expected_version integer, actor text, at timestamp with time zone, reason text, reject_code text, to_hospital text, slot_date date, slot_expert boolean, outcome jsonb) FROM PUBLIC;


--
-- Name: FUNCTION refuse_outreach(reason text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.refuse_outreach(reason text) FROM PUBLIC;


--
-- Name: FUNCTION request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, patient_key text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.request_consultation(alliance text, from_hospital text, to_hospital text, mode text, priority text, patient jsonb, consent boolean, diagnosis jsonb, question text, attachments jsonb, referral text, respond_by timestamp with time zone, created_at timestamp with time zone, actor text, patient_key text) FROM PUBLIC;


--
-- Name: FUNCTION sees_membership(me_hospital text, me_duty text, alliance text, hospital text, platform_too boolean); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.sees_membership(me_hospital text, me_duty text, alliance text, hospital text, platform_too boolean) FROM PUBLIC;


--
-- Name: FUNCTION sends_experts(alliance text, hospital text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.sends_experts(alliance text, hospital text) FROM PUBLIC;


--
-- Name: FUNCTION session_to_book(session_id text, at timestamp with time zone, actor text); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.session_to_book(session_id text, at timestamp with time zone, actor text) FROM PUBLIC;


--
-- Name: FUNCTION undecided_attachments(); Type: ACL; Schema: yilian_private; Owner: -
--

REVOKE ALL ON FUNCTION yilian_private.undecided_attachments() FROM PUBLIC;


--
-- Name: TABLE alliances; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.alliances TO yilian_user;


--
-- Name: TABLE application_actions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.application_actions TO yilian_user;


--
-- Name: TABLE consultation_actions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.consultation_actions TO yilian_user;


--
-- Name: TABLE criteria_versions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.criteria_versions TO yilian_user;


--
-- Name: TABLE hospitals; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.hospitals TO yilian_user;


--
-- Name: TABLE membership_actions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.membership_actions TO yilian_user;


--
-- Name: TABLE memberships; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.memberships TO yilian_user;


--
-- Name: TABLE recognition_versions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.recognition_versions TO yilian_user;


--
-- Name: TABLE referral_actions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.referral_actions TO yilian_user;


--
-- Name: TABLE schema_migrations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.schema_migrations TO yilian_user;


--
-- Name: TABLE specialties; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.specialties TO yilian_user;


--
-- Name: COLUMN users.login; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(login) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.name; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(name) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.hospital; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(hospital) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.duty; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(duty) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.enabled; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(enabled) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.created_by; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_by) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.created_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_at) ON TABLE public.users TO yilian_user;


--
-- Name: COLUMN users.display_name; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(display_name) ON TABLE public.users TO yilian_user;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE yilian REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--


