-- Two-factor secrets are sealed at rest by the accounts service (AES-256-GCM with
-- TOTP_ENCRYPTION_KEY, the account id as associated data): `v1.<iv>.<tag>.<ciphertext>` in base64url
-- is about 90 characters, past the 64 a plain base32 secret needed. Rows written before this
-- change stay readable as plain base32 (they never contain '.').
ALTER TABLE account_totp ALTER COLUMN secret TYPE varchar(255);
