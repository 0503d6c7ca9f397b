from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up alone: candidates apply through the public form, and the
    chapter's coordinator creates the accounts of members, sponsors and staff."""

    def is_open_for_signup(self, request) -> bool:
        return False
