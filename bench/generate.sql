-- Generates :n referrals (psql variable) with all their events in the demo database, filed over
-- the 730 days before now. A fifth go through PAIN-BJ (the demo's alliance: 中日友好医院 and its
-- four lower-tier members), so one PAIN-BJ year holds about n/10 referrals; the rest through 49
-- generated alliances of one core and 20 members each (1,029 generated hospitals).
-- Statuses follow age, as after daily sweeps: referrals older than 14 days have ended (closed,
-- rejected, cancelled, expired, no-show, a few completed and never acknowledged), younger ones
-- are in every state. Ids start with G- so they never meet real ones; version = event count.

INSERT INTO hospitals (code, name, level, grade, kind, district, beds, departments)
SELECT 'G-C' || lpad(a::text, 2, '0'), '生成核心医院 ' || a, 3, 'A', 'general', '朝阳区', 1500, '{pain}'::text[]
FROM generate_series(1, 49) a
UNION ALL
SELECT 'G-M' || lpad(a::text, 2, '0') || '-' || lpad(m::text, 2, '0'), '生成成员医院 ' || a || '-' || m, 1 + m % 2, 'B', 'community', '海淀区', 100, '{pain}'::text[]
FROM generate_series(1, 49) a, generate_series(1, 20) m
ON CONFLICT DO NOTHING;

INSERT INTO alliances (code, name, specialty, core, created_at)
SELECT 'GEN-' || lpad(a::text, 2, '0'), '生成医联体 ' || a, 'pain', 'G-C' || lpad(a::text, 2, '0'), now() - interval '3 years'
FROM generate_series(1, 49) a
ON CONFLICT DO NOTHING;

CREATE TEMPORARY TABLE paths (status text, seq int, action text, from_status text, to_status text) ON COMMIT PRESERVE ROWS;
INSERT INTO paths
SELECT s.status, p.seq, p.action, lag(p.to_status) OVER (PARTITION BY s.status ORDER BY p.seq), p.to_status
FROM (VALUES ('requested', 1), ('accepted', 2), ('scheduled', 3), ('in_treatment', 4), ('completed', 5), ('closed', 6)) s (status, steps),
     (VALUES (1, 'file', 'requested'), (2, 'accept', 'accepted'), (3, 'schedule', 'scheduled'), (4, 'arrive', 'in_treatment'),
             (5, 'complete', 'completed'), (6, 'acknowledge', 'closed')) p (seq, action, to_status)
WHERE p.seq <= s.steps;
INSERT INTO paths VALUES
    ('rejected', 1, 'file', NULL, 'requested'), ('rejected', 2, 'reject', 'requested', 'rejected'),
    ('cancelled', 1, 'file', NULL, 'requested'), ('cancelled', 2, 'cancel', 'requested', 'cancelled'),
    ('expired', 1, 'file', NULL, 'requested'), ('expired', 2, 'expire', 'requested', 'expired'),
    ('no_show', 1, 'file', NULL, 'requested'), ('no_show', 2, 'accept', 'requested', 'accepted'),
    ('no_show', 3, 'schedule', 'accepted', 'scheduled'), ('no_show', 4, 'no_show', 'scheduled', 'no_show');

INSERT INTO referrals (id, alliance, specialty, direction, setting, priority, from_hospital, to_hospital, patient, consent, diagnosis,
                       reason, status, version, respond_by, clock_start, first_response_at, accepted_at, reject_code, scheduled_at,
                       slot_date, escalation, created_at, updated_at)
SELECT 'G-' || lpad(g::text, 7, '0'), x.alliance, 'pain', x.direction,
       CASE WHEN g % 2 = 0 THEN 'outpatient' ELSE 'inpatient' END,
       (ARRAY['routine', 'routine', 'urgent', 'emergency'])[1 + g % 4],
       CASE WHEN x.direction = 'up' THEN x.member ELSE x.core END,
       CASE WHEN x.direction = 'up' THEN x.core ELSE x.member END,
       '{"name": "测试患者", "sex": "unknown", "birthDate": "1970-01-01", "idNumber": null, "phone": null}', true,
       '[{"code": "M79.2", "name": "神经痛"}]', '生成数据',
       s.status, (SELECT count(*) FROM paths p WHERE p.status = s.status), t.ts + interval '72 hours', t.ts,
       CASE WHEN s.status NOT IN ('requested', 'cancelled', 'expired') THEN t.ts + (g % 47) * interval '1 hour' END,
       CASE WHEN s.status IN ('accepted', 'scheduled', 'no_show', 'in_treatment', 'completed', 'closed') THEN t.ts + (g % 47) * interval '1 hour' END,
       CASE WHEN s.status = 'rejected' THEN (ARRAY['capacity_full', 'outside_scope', 'not_indicated'])[1 + g % 3] END,
       CASE WHEN s.status IN ('scheduled', 'no_show', 'in_treatment', 'completed', 'closed') THEN t.ts + interval '50 hours' END,
       CASE WHEN s.status IN ('scheduled', 'no_show', 'in_treatment', 'completed', 'closed') THEN (t.ts + interval '5 days')::date END,
       CASE WHEN g % 53 = 0 THEN 1 ELSE 0 END,
       t.ts, t.ts
FROM generate_series(1, :n) g,
     LATERAL (SELECT now() - ((g::bigint * 7919) % 730) * interval '1 day' - (g % 1440) * interval '1 minute' AS ts,
                     (g::bigint * 7919) % 730 AS age, (g / 5) % 49 + 1 AS a) t,
     LATERAL (SELECT CASE WHEN g % 5 = 0 THEN 'PAIN-BJ' ELSE 'GEN-' || lpad(t.a::text, 2, '0') END AS alliance,
                     CASE WHEN g % 5 = 0 THEN 'ZRYY' ELSE 'G-C' || lpad(t.a::text, 2, '0') END AS core,
                     CASE WHEN g % 5 = 0 THEN (ARRAY['MYQYY', 'JGYY', 'CHC-HPL', 'CHC-GL'])[1 + g / 5 % 4]
                          ELSE 'G-M' || lpad(t.a::text, 2, '0') || '-' || lpad((1 + g / 245 % 20)::text, 2, '0') END AS member,
                     CASE WHEN g % 7 < 2 THEN 'down' ELSE 'up' END AS direction) x,
     LATERAL (SELECT CASE
                  WHEN t.age >= 14 THEN (ARRAY['closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'rejected', 'cancelled', 'expired',
                                               'no_show', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'rejected', 'closed',
                                               'closed', 'completed'])[1 + g % 20]
                  WHEN t.age >= 3 THEN (ARRAY['closed', 'completed', 'in_treatment', 'scheduled', 'scheduled', 'rejected', 'closed',
                                              'no_show', 'cancelled', 'in_treatment'])[1 + g % 10]
                  ELSE (ARRAY['requested', 'accepted', 'scheduled', 'requested', 'rejected', 'scheduled', 'accepted', 'requested',
                              'cancelled', 'requested'])[1 + g % 10] END AS status) s;

INSERT INTO referral_events (referral, seq, action, from_status, to_status, actor, at)
SELECT r.id, p.seq, p.action, p.from_status, p.to_status,
       CASE WHEN p.action IN ('file', 'cancel', 'acknowledge') THEN 'gen@' || r.from_hospital
            WHEN p.action = 'expire' THEN 'system' ELSE 'gen@' || r.to_hospital END,
       r.created_at + (p.seq - 1) * interval '1 hour'
FROM referrals r JOIN paths p ON p.status = r.status
WHERE r.id LIKE 'G-%';

-- A coordinator for every generated hospital, who reads its worklist (SPEC §6).
INSERT INTO users (login, name, hospital, duty, created_by)
SELECT 'coordinator@' || code, 'coordinator', code, 'coordinator', 'bench' FROM hospitals WHERE code LIKE 'G-%'
ON CONFLICT DO NOTHING;
SELECT count(yilian_sync_login(login)) AS logins FROM users WHERE hospital LIKE 'G-%';

VACUUM ANALYZE hospitals, alliances, referrals, referral_events;
