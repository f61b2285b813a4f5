-- Case notes: 1M rows of free text, some carrying an identifier, a phone number or a health or crime cue.
SET SESSION unique_checks = 0, foreign_key_checks = 0;
START TRANSACTION;
INSERT INTO crm_case_notes
SELECT seq, 1 + seq % 100000, ELT(1 + seq % 5, 'hsg.officer1','income.team','asb.team','support.worker','repairs.desk'),
	ELT(1 + (seq DIV 5) % 5, 'visit','call','email','letter','meeting'),
	CONCAT(
		ELT(1 + seq % 7, 'Home visit completed.','Spoke to tenant on the phone.','Letter sent about arrears.','Tenant attended the office.',
			'Email received from tenant.','Neighbour called about the property.','Joint visit with social worker.'), ' ',
		ELT(1 + (seq DIV 7) % 11, 'Agreed a repayment plan of 10 pounds a week.','Tenant says the boiler is still not working.',
			'Tenant mentioned she is on antidepressants and struggling.','Police were called last night after an argument; tenant arrested.',
			'Tenant has been diagnosed with COPD and finds stairs hard.','No concerns noted.','Tenant asked about a transfer to a bigger property.',
			'Tenant is attending the mosque food bank.','Partner recently released from prison on licence.','Universal Credit claim is being processed.',
			'Referred to the Citizens Advice money team.'),
		CASE WHEN seq % 20 = 0 THEN CONCAT(' NHS number ', b_nhs(seq))
		     WHEN seq % 33 = 0 THEN CONCAT(' Call back on ', b_phone(seq))
		     WHEN seq % 50 = 0 THEN CONCAT(' NI number ', b_nino(seq))
		     WHEN seq % 41 = 0 THEN CONCAT(' Email ', b_email(seq))
		     ELSE '' END,
		' Ref ', SUBSTR(MD5(seq), 1, 12)),
	TIMESTAMP '2018-01-01 00:00:00' + INTERVAL seq * 3 MINUTE
FROM seq_1_to_1000000;
COMMIT;
