-- Chain-of-custody entries made by hand: an examination, where the original
-- is stored, and its return were offered by the forms but refused by the
-- CHECK (issue 14: a 500 that lost the entry).
ALTER TABLE custody DROP CONSTRAINT custody_action_check;
ALTER TABLE custody ADD CONSTRAINT custody_action_check
    CHECK (action IN ('uploaded', 'downloaded', 'verified', 'verification_failed',
                      'transferred', 'examined', 'stored', 'returned', 'note'));
