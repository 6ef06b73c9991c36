-- SPEC §2: an alliance cuts reports, slot dates and "today" in its time zone, and reports how
-- many reserved slots were published at least `slot_lead_days` before their date.
ALTER TABLE alliances
    ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai' CHECK (time_zone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'),
    ADD COLUMN slot_lead_days integer NOT NULL DEFAULT 14 CHECK (slot_lead_days BETWEEN 0 AND 365);
