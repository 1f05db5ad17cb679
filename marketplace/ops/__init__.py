"""Operations: backups of the database and the uploads (`flask backup`, `flask restore`) and `flask check-config`."""
