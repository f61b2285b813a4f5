-- Repairs: 2M jobs with short free-text descriptions and access notes.
SET SESSION unique_checks = 0, foreign_key_checks = 0;
DELIMITER //
CREATE PROCEDURE b_fill_repairs()
BEGIN
	DECLARE c INT DEFAULT 0;
	WHILE c < 2 DO
		START TRANSACTION;
		INSERT INTO repairs_jobs
		SELECT c * 1000000 + seq, 1 + seq % 60000, IF(seq % 4 <> 0, 1 + seq % 100000, NULL), 1 + seq % 500,
			ELT(1 + seq % 4, 'emergency','urgent','routine','planned'), ELT(1 + (seq DIV 4) % 6, 'plumbing','electrical','joinery','roofing','gas','damp'),
			CONCAT(ELT(1 + (seq DIV 3) % 8, 'Leaking tap in kitchen','No heating or hot water','Front door lock broken','Damp and black mould in bedroom',
				'Roof tiles missing after storm','Boiler pressure dropping','Broken window in lounge','Blocked toilet'), ' - job ', c * 1000000 + seq),
			CASE WHEN seq % 10 = 0 THEN CONCAT('Tenant has a dog; call 07700 900', LPAD(seq % 1000, 3, '0'), ' before visiting')
			     WHEN seq % 17 = 0 THEN 'Tenant is a wheelchair user, allow extra time'
			     WHEN seq % 29 = 0 THEN 'Key safe code with neighbour' END,
			DATE '2016-01-01' + INTERVAL (c * 1000000 + seq) DIV 700 DAY,
			IF(seq % 9 <> 0, DATE '2016-01-05' + INTERVAL (c * 1000000 + seq) DIV 700 DAY, NULL), (seq % 50000) / 100
		FROM seq_1_to_1000000;
		COMMIT;
		SET c = c + 1;
	END WHILE;
END//
DELIMITER ;
CALL b_fill_repairs();
DROP PROCEDURE b_fill_repairs;
