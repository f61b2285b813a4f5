ALTER TABLE clients ADD COLUMN tmp varchar(10);
ALTER TABLE clients CHANGE c2 religion varchar(40) COMMENT 'Faith or belief';
CREATE TRIGGER clients_bi BEFORE INSERT ON clients FOR EACH ROW SET NEW.tmp = 'x';
