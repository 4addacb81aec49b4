-- A basket's payment instruments, kept on the basket row: they change under its row lock like
-- its other fields, and the statements that return the basket return them too. Each holds the
-- masked card only (masked_number, last digits), never the full number or the security code.
ALTER TABLE orders.baskets ADD COLUMN payment_instruments jsonb NOT NULL DEFAULT '[]';
