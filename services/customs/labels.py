"""The words printed on customs papers, in each language the forms are written in: English
and French (the UPU's), Chinese, Japanese and German."""

from __future__ import annotations

from collections.abc import Sequence

from models.customs import RegistrationKind

#: Every label in the forms' languages.
LABELS: dict[str, dict[str, str]] = {
    "customs_declaration": {
        "en": "CUSTOMS DECLARATION",
        "fr": "DÉCLARATION EN DOUANE",
        "zh": "海关申报单",
        "ja": "税関告知書",
        "de": "ZOLLINHALTSERKLÄRUNG",
    },
    "commercial_invoice": {
        "en": "COMMERCIAL INVOICE",
        "fr": "FACTURE COMMERCIALE",
        "zh": "商业发票",
        "ja": "コマーシャルインボイス",
        "de": "HANDELSRECHNUNG",
    },
    "carrier": {
        "en": "Designated operator / carrier",
        "fr": "Opérateur désigné / transporteur",
        "zh": "指定经营者/承运人",
        "ja": "指定事業体/運送業者",
        "de": "Postunternehmen / Beförderer",
    },
    "sender": {"en": "From", "fr": "De", "zh": "寄件人", "ja": "差出人", "de": "Absender"},
    "receiver": {"en": "To", "fr": "À", "zh": "收件人", "ja": "受取人", "de": "Empfänger"},
    "seller": {
        "en": "Seller / exporter",
        "fr": "Vendeur / exportateur",
        "zh": "卖方/出口商",
        "ja": "売主/輸出者",
        "de": "Verkäufer / Ausführer",
    },
    "buyer": {
        "en": "Buyer / consignee",
        "fr": "Acheteur / destinataire",
        "zh": "买方/收货人",
        "ja": "買主/荷受人",
        "de": "Käufer / Empfänger",
    },
    "category": {
        "en": "Category of item",
        "fr": "Catégorie de l'envoi",
        "zh": "邮件类别",
        "ja": "内容品の種別",
        "de": "Art der Sendung",
    },
    "sale_of_goods": {
        "en": "Sale of goods",
        "fr": "Vente de marchandises",
        "zh": "商品销售",
        "ja": "商品の販売",
        "de": "Verkauf von Waren",
    },
    "reason": {
        "en": "Reason for export",
        "fr": "Motif de l'exportation",
        "zh": "出口原因",
        "ja": "輸出理由",
        "de": "Ausfuhrgrund",
    },
    "description": {
        "en": "Detailed description of contents",
        "fr": "Description détaillée du contenu",
        "zh": "内件详细名称",
        "ja": "内容品の詳細な記述",
        "de": "Genaue Beschreibung des Inhalts",
    },
    "quantity": {"en": "Quantity", "fr": "Quantité", "zh": "数量", "ja": "数量", "de": "Menge"},
    "net_weight": {
        "en": "Net weight (kg)",
        "fr": "Poids net (kg)",
        "zh": "净重 (千克)",
        "ja": "正味重量 (kg)",
        "de": "Nettogewicht (kg)",
    },
    "value": {"en": "Value", "fr": "Valeur", "zh": "价值", "ja": "価格", "de": "Wert"},
    "unit_value": {
        "en": "Unit value",
        "fr": "Valeur unitaire",
        "zh": "单价",
        "ja": "単価",
        "de": "Stückwert",
    },
    "hs_code": {
        "en": "HS tariff number",
        "fr": "N° tarifaire du SH",
        "zh": "HS编码",
        "ja": "HS税番",
        "de": "Zolltarifnummer (HS)",
    },
    "origin": {
        "en": "Country of origin of goods",
        "fr": "Pays d'origine des marchandises",
        "zh": "原产国",
        "ja": "原産国",
        "de": "Ursprungsland",
    },
    "total_weight": {
        "en": "Total net weight (kg)",
        "fr": "Poids net total (kg)",
        "zh": "总净重 (千克)",
        "ja": "総正味重量 (kg)",
        "de": "Gesamtnettogewicht (kg)",
    },
    "total_value": {
        "en": "Total value",
        "fr": "Valeur totale",
        "zh": "总价值",
        "ja": "総価格",
        "de": "Gesamtwert",
    },
    "postage": {
        "en": "Postal charges / fees",
        "fr": "Frais de port / frais",
        "zh": "邮费",
        "ja": "郵便料金",
        "de": "Porto / Gebühren",
    },
    "incoterm": {
        "en": "Terms of delivery (Incoterm)",
        "fr": "Conditions de livraison (Incoterm)",
        "zh": "交货条件（贸易术语）",
        "ja": "引渡条件（インコタームズ）",
        "de": "Lieferbedingung (Incoterm)",
    },
    "ddp": {
        "en": "duties and taxes paid by the sender",
        "fr": "droits et taxes payés par l'expéditeur",
        "zh": "关税及税费由寄件人支付",
        "ja": "関税・税は差出人負担",
        "de": "Zölle und Steuern vom Absender bezahlt",
    },
    "dap": {
        "en": "duties and taxes payable by the receiver",
        "fr": "droits et taxes à la charge du destinataire",
        "zh": "关税及税费由收件人支付",
        "ja": "関税・税は受取人負担",
        "de": "Zölle und Steuern zahlt der Empfänger",
    },
    "references": {
        "en": "Sender's customs reference",
        "fr": "Référence en douane de l'expéditeur",
        "zh": "寄件人海关编码",
        "ja": "差出人の税関参照番号",
        "de": "Zollreferenz des Absenders",
    },
    "tracking": {
        "en": "Tracking number",
        "fr": "Numéro de suivi",
        "zh": "跟踪号码",
        "ja": "追跡番号",
        "de": "Sendungsnummer",
    },
    "invoice_number": {
        "en": "Invoice / order number",
        "fr": "N° de facture / commande",
        "zh": "发票/订单号",
        "ja": "インボイス/注文番号",
        "de": "Rechnungs-/Bestellnummer",
    },
    "date": {"en": "Date", "fr": "Date", "zh": "日期", "ja": "日付", "de": "Datum"},
    "order_date": {
        "en": "Order date",
        "fr": "Date de commande",
        "zh": "订单日期",
        "ja": "注文日",
        "de": "Bestelldatum",
    },
    "currency": {"en": "Currency", "fr": "Devise", "zh": "币种", "ja": "通貨", "de": "Währung"},
    "goods": {"en": "Goods", "fr": "Marchandises", "zh": "货物", "ja": "商品", "de": "Waren"},
    "collected": {
        "en": "Duties and taxes collected",
        "fr": "Droits et taxes perçus",
        "zh": "已收关税及税费",
        "ja": "徴収済みの関税・税",
        "de": "Erhobene Zölle und Steuern",
    },
    "door": {
        "en": "Duties and taxes due on delivery (estimate)",
        "fr": "Droits et taxes dus à la livraison (estimation)",
        "zh": "送达时应付关税及税费（估计）",
        "ja": "配達時に支払う関税・税（見積）",
        "de": "Bei Zustellung fällige Zölle und Steuern (Schätzung)",
    },
    "invoice_total": {
        "en": "Invoice total",
        "fr": "Total de la facture",
        "zh": "发票总额",
        "ja": "インボイス合計",
        "de": "Rechnungsbetrag",
    },
    "regime": {
        "en": "Import regime",
        "fr": "Régime d'importation",
        "zh": "进口监管方式",
        "ja": "輸入制度",
        "de": "Einfuhrverfahren",
    },
    "dangerous": {
        "en": "Contains dangerous goods",
        "fr": "Contient des marchandises dangereuses",
        "zh": "含危险品",
        "ja": "危険物を含む",
        "de": "Enthält Gefahrgut",
    },
    "certify": {
        "en": "I certify that the particulars given in this declaration are correct and that "
        "this item does not contain any dangerous article prohibited by legislation or by "
        "postal or customs regulations.",
        "fr": "Je certifie que les renseignements donnés dans la présente déclaration sont "
        "exacts et que cet envoi ne contient aucun objet dangereux interdit par la "
        "législation ou la réglementation postale ou douanière.",
        "zh": "本人保证所填内容属实，本邮件内未装寄法律或邮政和海关规章禁止寄递的任何危险物品。",
        "ja": "この告知書の記載事項が正確であり、法令又は郵便・税関規則により禁止された危険物を"
        "含まないことを証明します。",
        "de": "Ich bestätige, dass die Angaben in dieser Erklärung richtig sind und die Sendung "
        "keine gefährlichen, gesetzlich oder durch Post- oder Zollvorschriften verbotenen "
        "Gegenstände enthält.",
    },
    "invoice_statement": {
        "en": "We declare that this invoice shows the actual price of the goods described and "
        "that all particulars are true and correct.",
        "fr": "Nous déclarons que la présente facture indique le prix réel des marchandises "
        "décrites et que tous les renseignements sont exacts.",
        "zh": "我方声明本发票所列为所述货物的实际价格，且所有内容真实无误。",
        "ja": "本インボイスは記載された商品の実際の価格を示し、記載事項がすべて真正かつ正確で"
        "あることを申告します。",
        "de": "Wir erklären, dass diese Rechnung den tatsächlichen Preis der beschriebenen Waren "
        "ausweist und alle Angaben wahr und richtig sind.",
    },
    "signature": {
        "en": "Date and sender's signature",
        "fr": "Date et signature de l'expéditeur",
        "zh": "日期及寄件人签字",
        "ja": "日付及び差出人の署名",
        "de": "Datum und Unterschrift des Absenders",
    },
}

#: How each registration is named on the papers.
REGISTRATION_NAMES = {
    RegistrationKind.EORI: "EORI",
    RegistrationKind.IOSS: "IOSS",
    RegistrationKind.UK_VAT: "GB VAT",
    RegistrationKind.AU_ARN: "ARN",
}


def label(key: str, languages: Sequence[str], separator: str = " / ") -> str:
    """The label in each language, English first, joined with `separator` (once each)."""
    texts = LABELS[key]
    seen: list[str] = []
    for language in languages:
        text = texts.get(language)
        if text and text not in seen:
            seen.append(text)
    return separator.join(seen)
