"""Small ONIX messages for the validate tests: one valid, one invalid, built as bytes."""

VALID = b"""<?xml version="1.0" encoding="UTF-8"?>
<ONIXMessage release="3.0" xmlns="http://ns.editeur.org/onix/3.0/reference">
  <Header>
    <Sender><SenderName>Example Press</SenderName></Sender>
    <MessageNumber>1</MessageNumber>
    <SentDateTime>20260101</SentDateTime>
  </Header>
  <Product>
    <RecordReference>com.example.1</RecordReference>
    <NotificationType>03</NotificationType>
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
    <DescriptiveDetail>
      <ProductComposition>00</ProductComposition>
      <ProductForm>BC</ProductForm>
      <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel><TitleText>A Title</TitleText></TitleElement></TitleDetail>
    </DescriptiveDetail>
    <PublishingDetail><Publisher><PublishingRole>01</PublishingRole><PublisherName>Example Press</PublisherName></Publisher><PublishingStatus>04</PublishingStatus></PublishingDetail>
  </Product>
</ONIXMessage>
"""

# NotificationType 99 is not in code list 1: a schema error on line 10, inside product com.example.1.
INVALID = VALID.replace(b"<NotificationType>03<", b"<NotificationType>99<")
INVALID_LINE = 10


def with_text(title: str, encoding: str = "utf-8") -> bytes:
    """The valid message with another title, encoded as its declaration says."""
    text = VALID.decode("utf-8").replace('encoding="UTF-8"', f'encoding="{encoding}"').replace("A Title", title)
    return text.encode(encoding)
