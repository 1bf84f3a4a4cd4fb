-- dental_whatsapp: a neutralized copy never talks to Meta and accepts no webhook from it.
-- Without a token nothing can be sent, without an app secret no webhook verifies, and
-- the API base URL points at a name that never resolves. (The base module stops the
-- scheduled actions and sets database.is_neutralized, which the outbox also checks.)
UPDATE dental_whatsapp_account
   SET access_token = NULL,
       app_secret = NULL,
       verify_token = NULL,
       base_url = 'https://neutralized.invalid';
