-- Schema version 2: the state a person or organisation acts for ("Serbian President ...").
ALTER TABLE entities ADD COLUMN country TEXT;
