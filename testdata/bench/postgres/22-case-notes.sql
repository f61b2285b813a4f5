-- Case notes: about 1M rows of free text, some carrying an identifier, a phone number or a health or crime cue.
\set ON_ERROR_STOP on
INSERT INTO crm.case_notes
SELECT g, 1 + g % 100000, (ARRAY['hsg.officer1','income.team','asb.team','support.worker','repairs.desk'])[1 + g % 5],
	(ARRAY['visit','call','email','letter','meeting'])[1 + (g / 5) % 5],
	(ARRAY['Home visit completed.','Spoke to tenant on the phone.','Letter sent about arrears.','Tenant attended the office.','Email received from tenant.','Neighbour called about the property.','Joint visit with social worker.'])[1 + g % 7]
	|| ' ' ||
	(ARRAY['Agreed a repayment plan of 10 pounds a week.','Tenant says the boiler is still not working.','Tenant mentioned she is on antidepressants and struggling.','Police were called last night after an argument; tenant arrested.','Tenant has been diagnosed with COPD and finds stairs hard.','No concerns noted.','Tenant asked about a transfer to a bigger property.','Tenant is attending the mosque food bank.','Partner recently released from prison on licence.','Universal Credit claim is being processed.','Referred to the Citizens Advice money team.'])[1 + (g / 7) % 11]
	|| CASE WHEN g % 20 = 0 THEN ' NHS number ' || public.b_nhs(g)
	        WHEN g % 33 = 0 THEN ' Call back on ' || public.b_phone(g)
	        WHEN g % 50 = 0 THEN ' NI number ' || public.b_nino(g)
	        WHEN g % 41 = 0 THEN ' Email ' || public.b_email(g)
	        ELSE '' END
	|| ' Ref ' || substr(md5(g::text), 1, 12),
	timestamptz '2018-01-01' + g * interval '3 minutes'
FROM generate_series(1, 1000000) g;
