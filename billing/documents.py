"""The invoice's PDF and its e-mail (built next: WeasyPrint from the stored invoice alone)."""


def render_and_send(invoice_id: int) -> None:
    """Placeholder until the PDF lands: nothing is rendered or sent yet."""
