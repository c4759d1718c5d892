-- Retention (issue 11, bounded growth): the worker's retention.purge schedule deletes published
-- outbox rows and processed-event records past their windows, oldest first, in batches. These
-- indexes let each batch find its rows without reading the whole table.
CREATE INDEX idx_outbox_published ON platform.outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX idx_processed_events_processed_at ON platform.processed_events (processed_at);
