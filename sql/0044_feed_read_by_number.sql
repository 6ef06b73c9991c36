-- The feed is read after a number (yilian_api.feed: a watcher every few seconds, events.list) and
-- its last number asked for (yilian_feed_advance), and no index held the numbers: every read walked
-- the whole feed, five million events at a million referrals. The numbered events by number.
CREATE INDEX feed_numbered ON feed (number) WHERE number IS NOT NULL;
