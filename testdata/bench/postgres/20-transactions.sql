-- The rent ledger: the biggest table, about 5M rows.
\set ON_ERROR_STOP on
INSERT INTO finance.transactions
SELECT g, 1 + g % 120000, date '2015-04-01' + (g / 120000)::int * 7, CASE WHEN g % 3 = 0 THEN -(80 + g % 120) ELSE 80 + g % 120 END,
	(ARRAY['rent charge','payment','housing benefit','universal credit','adjustment','refund'])[1 + g % 6],
	'TX' || lpad(g::text, 10, '0'),
	(ARRAY['Weekly rent','DD collection','UC direct payment','Write-off','Service charge','Payment at post office'])[1 + (g / 7) % 6]
FROM generate_series(1, 5000000) g;
