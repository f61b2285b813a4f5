-- The rent ledger: the biggest table, 5M rows, in 1M-row transactions so the undo log stays small.
SET SESSION unique_checks = 0, foreign_key_checks = 0;
DELIMITER //
CREATE PROCEDURE b_fill_transactions()
BEGIN
	DECLARE c INT DEFAULT 0;
	WHILE c < 5 DO
		START TRANSACTION;
		INSERT INTO finance_transactions
		SELECT c * 1000000 + seq, 1 + (c * 1000000 + seq) % 120000, DATE '2015-04-01' + INTERVAL ((c * 1000000 + seq) DIV 120000) * 7 DAY,
			IF(seq % 3 = 0, -(80 + seq % 120), 80 + seq % 120),
			ELT(1 + seq % 6, 'rent charge','payment','housing benefit','universal credit','adjustment','refund'),
			CONCAT('TX', LPAD(c * 1000000 + seq, 10, '0')),
			ELT(1 + (seq DIV 7) % 6, 'Weekly rent','DD collection','UC direct payment','Write-off','Service charge','Payment at post office')
		FROM seq_1_to_1000000;
		COMMIT;
		SET c = c + 1;
	END WHILE;
END//
DELIMITER ;
CALL b_fill_transactions();
DROP PROCEDURE b_fill_transactions;
