-- Shipments besides the default one ('me', whose address and method keep their columns, so
-- every basket written before this has its one shipment unchanged): a list of
-- {shipment_id, shipping_address?, shipping_method_id?} in creation order, kept on the basket
-- row so it changes under the basket's row lock like the basket's other fields.
ALTER TABLE orders.baskets ADD COLUMN shipments jsonb NOT NULL DEFAULT '[]';
-- The shipment a line ships with; lines written before this ship with the default one.
ALTER TABLE orders.basket_items ADD COLUMN shipment_id text NOT NULL DEFAULT 'me';
