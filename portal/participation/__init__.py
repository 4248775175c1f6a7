"""Taking part: the informal arrangement and its acknowledgements, the certificate, marking the work complete,
and feedback from both sides."""
