-- The audit log: 3M rows in twelve monthly partitions, with a JSON before-image of what changed.
SET SESSION unique_checks = 0, foreign_key_checks = 0;
DELIMITER //
CREATE PROCEDURE b_fill_audit()
BEGIN
	DECLARE c INT DEFAULT 0;
	WHILE c < 3 DO
		START TRANSACTION;
		INSERT INTO audit_log
		SELECT c * 1000000 + seq, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (c * 1000000 + seq) * 10 SECOND,
			ELT(1 + seq % 6, 'hsg.officer1','income.team','asb.team','support.worker','repairs.desk','system'),
			ELT(1 + (seq DIV 6) % 5, 'update','view','insert','delete','export'),
			ELT(1 + (seq DIV 30) % 5, 'tenant','tenancy','rent_account','repairs_job','case_note'), 1 + seq % 100000,
			IF(seq % 5 = 0, JSON_OBJECT('mobile', CONCAT('07700 900', LPAD(seq % 1000, 3, '0')), 'email', CONCAT('user', seq % 1000, '@example.org')), NULL),
			CONCAT('request ', SUBSTR(MD5(seq), 1, 16))
		FROM seq_1_to_1000000;
		COMMIT;
		SET c = c + 1;
	END WHILE;
END//
DELIMITER ;
CALL b_fill_audit();
DROP PROCEDURE b_fill_audit;
