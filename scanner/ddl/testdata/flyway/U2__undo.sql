ALTER TABLE clients ADD COLUMN undo_only int;
