"""A reset request answers alike for members and strangers; only the member gets mail."""

from __future__ import annotations


def test_reset_answers_alike_and_mails_only_the_member(client, mail_sink, member):
    known = client.post("/reset", data={"email": member.email})
    unknown = client.post("/reset", data={"email": "nobody@example.ba"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace(member.email, "X") == unknown.get_data(
        as_text=True
    ).replace("nobody@example.ba", "X")
    assert len(mail_sink.to(member.email)) == 1
    assert mail_sink.to("nobody@example.ba") == []
    assert len(mail_sink.messages) == 1
