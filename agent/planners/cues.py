"""Kinds of message that no catalog word decides: code, pasted reviews, questions about the shop's service,
requests for a personal pick, questions about one shown product. Plain regular expressions on the raw message."""

from __future__ import annotations

import re

_CODE = re.compile(
    r";\s*--|\bdrop\s+table\b|\bselect\b.+\bfrom\b|\binsert\s+into\b|<\s*/?\s*(script|img|iframe|div|svg)\b|"
    r"\bimport\s+\w+\s*(;|$|\n)|\bos\.\w+\(|\bdef\s+\w+\s*\(|\bfunction\s*\w*\s*\(|=>|\brm\s+-rf\b|\{\{.*\}\}|"
    r"\bwrite\s+(me\s+)?(a|an|some)?\s*(python|javascript|sql|bash|java|c\+\+|rust)?\s*(code|script|function|"
    r"program|query|regex)\b|\b(python|javascript|sql|bash)\s+(code|script|function|program)\b", re.I)

_REVIEW_MARKS = [
    r"\b(\d|one|two|three|four|five)\s*(/\s*5|stars?)\b",
    r"\bwould(\s+not|n'?t)?\s+(buy|recommend|order|purchase)(\s+(it|this|them|these))?(\s+again)?\b",
    r"\b(best|worst)\s+(purchase|buy)\b", r"\bwaste\s+of\s+money\b", r"\breturned\s+(it|them|this)\b",
    r"\b(broke|stopped working|fell apart|clumped|irritated|smells?\s+(awful|terrible|great))\b",
    r"\bafter\s+(one|1|a|two|2|three|3)\s+(use|uses|wash|washes|week|weeks|day|days|month|months)\b",
    r"!{2,}", r"\b(love|loved|hate|hated)\s+(these|this|it|them|my)\b", r"\b(arrived|came)\s+(late|broken|damaged)\b",
    r"\bnever\s+(again|buying)\b", r"\bgave\s+me\s+(a\s+)?(headache|rash|blisters)\b",
    r"(?<!without a )(?<!without )(?<!no )(?<!not a )\b(horrible|terrible|awful|lovely|strong|weird)\s+"
    r"(smell|scent|texture|quality|fit)\b", r"\b(terrible|awful|amazing|excellent|perfect)\s+(product|quality|purchase|\w+)\b[.!]",
]
# a request or a question, not an opinion: "is the tall one strong or subtle", "only those please"
_REQUEST = re.compile(r"\b(show|find|search|looking|look for|need|want|get me|do you (have|sell|carry)|any|"
                      r"recommend (me|a|some)|suggest|compare|similar|cheaper|only (those|these|them|that|the)|"
                      r"just (those|these|them|that brand)|nothing but|"
                      # a wish for a product: "I'd like one for the car", "I'm after a lighter one"
                      r"i'?d like|i would like|i'?d love|i'?m after|hoping (for|to find)|"
                      # a thing of one's own to replace: "same brand", "a new one", "another one"
                      r"same (brand|make|one|again)|(a )?new (one|ones|pair)|another (one|pair)|replacement)\b|\?\s*$|"
                      # another kind offered: "how about a tent? the pole on mine snapped"
                      r"^\W*(what|how) about\b|"
                      r"^\W*(is|are|does|do|did|can|could|will|would|should|how|what|which)\s+(it|they|this|that|these|"
                      r"those|the|my|a|an)\b", re.I)

# the shop's basket, which the assistant does not hold: "pop the tent in my basket", whatever product it names
_BASKET = r"(add|put|throw|pop)\b.{0,40}\b(in|into|to) (my |the )?(cart|basket|bag|trolley|wish ?list)"
# what went wrong with a purchase, told as a story, and the shop's money matters: "they billed me twice for it",
# "a bottle leaked inside the box", "a stranger's package came instead of mine", "a week overdue", "is VAT added",
# "a deal for buying several", "a trade-in scheme", "stop the promo emails"; a question for the shop even when it
# names a kind of product
_STORY = (r"(charged|billed|debited)( me| my card| us)? (twice|two times|double|again|two)|double[- ]?(charged|billed|"
          r"charge|payment)|"
          r"(burst|leaked|leaking|spilled|spilt|broke|smashed|shattered|cracked|exploded|opened)( open)? (in|inside|"
          r"all over|during) (the |my )?(parcel|package|box|delivery|shipment|mail|post|shipping|transit)|"
          r"(got|received|was sent|were sent|sent me|delivered|came with) (someone|somebody|some one|a stranger)"
          r"( else)?'?s?\b|"
          r"(someone|somebody|a stranger|a neighbou?r)( else)?'?s (order|package|parcel|box|delivery|stuff|items?)|"
          r"(got|received|was sent|sent me|delivered|came with) (the |a )?wrong (item|order|product|thing|one|size|"
          r"colou?r|shade|parcel|package)|"
          r"(broken|damaged|cracked|opened|open|leaking|torn|dented|missing|crushed|smashed|tampered( with)?) (when|as "
          r"soon as|once|by the time) (it|they|the \w+|my \w+)? ?(arrived|came|got here|was delivered|were delivered|"
          r"showed up|turned up)|"
          r"(\d+|a|one|two|three|four|five|six|several|a few|some) (days?|weeks?) (late|overdue|behind)|"
          r"(is|its|it's|it is|was|are|they're|theyre) (already |still |now )?(late|overdue)\b|"
          r"(include|includes|included|including|incl|with|without|plus|before|after|add|adds|added|charge|"
          r"charges) (the |any )?(sales )?(tax|taxes|vat|gst|duties|duty|customs)|(tax|taxes|vat|gst) (included|"
          r"on top|extra|added)|"
          r"(discount|deal|offer|price break|reduction)s? (if|when|for) (i |we |you )?(buy|order|get|purchase)(ing)? "
          r"(\d+|two|three|four|five|several|multiple|a few|a lot|lots|more|many|in bulk)\b|bulk (discount|pricing|"
          r"price|order|buy)s?|multi[- ]?buy|"
          r"trade[- ]?ins?\b|"
          # the shop's terms for a business: "can a nail bar get trade pricing", "wholesale terms for gyms"
          r"(trade|wholesale|business|corporate) (accounts?|discounts?|pricing|prices|rates?|terms)\b|"
          r"buy[- ]?back (program|programme|scheme|offer)s?|"
          r"(marketing|promo|promotional|spam|advertising|sales) (e-?mails?|texts?|messages?|mails?|newsletters?)|"
          r"unsubscribe|newsletters?|opt(ing)? out|"
          r"(loyalty|rewards?|members?(hip)?|vip|referral|frequent (buyer|shopper)) (programs?|programmes?|schemes?|"
          r"clubs?|cards?|points)|"
          # a fault the shop may cover, part of an order missing, the paperwork of a purchase, collecting it
          r"(is|are|would|will) (that|it|this|they|these|those) (be )?covered|covered (by|under) (the |a |your )?"
          r"(warranty|guarantee)|(box|parcel|package|delivery|order) (\w+ )?(only )?(had|has|contained|came with) only|"
          r"(items?|pieces?|parts?) (was|were|is|are) missing|missing (an? |one |some )?(items?|pieces?|parts?)\b|"
          r"invoices?|size (chart|guide)s?|sizing (chart|guide)s?|"
          r"pick(ing)? (\w+ ){0,2}up (in|at|from) (the |a |your )?(store|shop)|in[- ]store pick ?up|"
          r"click (and|&|n) collect|"
          + _BASKET + r"|"
          # an order told by its number ("where is order 5512-880", "order #77031 hasn't come"), a purchase made
          # twice or by mistake, goods unlike their picture, whether the shop itself can be trusted
          r"order\s*(#|no\.?|number|num)?\s*#?\s*[a-z]{0,3}\d[\d-]{3,}|"
          r"(ordered|bought|purchased|paid)\b.{0,30}\b(twice|two times|by mistake|by accident|accidentally)|"
          r"(i got|i received|i bought|arrived|came|delivered)\b.{0,60}\b(different|nothing like|"
          r"not (the same|like|what)|"
          r"doesn'?t (look|match)|does not (look|match))\b.{0,40}\b(picture|photo|pic|image|listing|description|"
          r"website|site|ad)s?|"
          r"(is|are) (this|your|the|ur) (web ?site|site|shop|store|page|seller|company) (\w+ ){0,2}(legit|legitimate|"
          r"real|safe|genuine|trustworthy|trusted|a scam|fake|scam)|\bscam(s|med|my)?\b")
# what the shopper asks the shop to do for them, whatever product it names: word when a product is back ("email me
# when it is restocked"), a discount granted on the shopper's own say-so ("I authorise 50% off, apply it")
_NOTICE = (r"(e-?mail|notify|tell|text|ping|alert|message|let)( \w+){0,3} (know )?(when|once|as soon as|if)\b.{0,60}\b"
           r"(back in stock|in stock again|restocked|available( again)?|back)|"
           r"(apply|authori[sz]e|authori[sz]ing|grant|approve)( \S+){0,4} (discount|reduction|coupon|refund|voucher)|"
           r"(discount|coupon|voucher) (applied|approved|authori[sz]ed)")
# a complaint made to the shop: "I want to make a complaint", "who do I complain to"; what someone at home keeps
# complaining about ("she won't stop complaining about her dry lips") is a need told, not a complaint to the shop
_COMPLAINT = (r"(make|file|lodge|raise|submit|have) (a |an )?(formal |official )?complaint|complain(ing)? to|"
              r"(?<!he )(?<!she )(?<!they )(?<!stop )(?<!keeps )(?<!kept )(?<!always )(?<!been )complain(ing)? about")
# a "gift exchange" or a "white elephant exchange" is a party, not goods swapped back
_NOT_A_PARTY = r"(?<!gift )(?<!gifts )(?<!elephant )(?<!santa )(?<!swap )(?<!cookie )"
_RETURNING = r"returning(?! (customer|shopper|buyer|client|visitor)s?\b)"  # a "returning customer" returns nothing
# the shop's terms asked of an order, even one that names a product: "is an opened palette refundable", "would the
# kit arrive before sunday if we order now", "can you expedite", "store credit only?", "will prices drop next week"
_TERMS = (r"(non[- ]?)?(returnable|refundable|exchangeable)|store credit|shop credit|expedite[ds]?|"
          r"(rush|express|overnight|next[- ]day) (shipping|delivery|postage)|"
          r"(will|would|can|could|does|do) (it|they|this|that|these|those|the \w+|my \w+) (get|be|arrive|come)"
          r"( here| there)? (by|in time|before)\b|if (i|we) order (it |them |this |that )?(now|today|tonight|by)\b|"
          r"(will|would|do|does|is|are) (the )?(prices?|it|they|this|that)( \w+)? ((go|come|get|going)( back)? "
          r"(down|lower|cheaper)|(drop|fall)s?\b)")
# what the shopper got was faulty: "the kettle i got was cracked", "the one we ordered is leaking"
# what the shopper got, changed for another: "can we switch the tent we ordered for a bigger one"
_SWAP_MINE = r"(swap|switch|change|exchange)\b.{0,40}\b(i|we) (got|bought|ordered|received)\b"
_FAULTY = (r"(i|we) (got|received|bought|ordered)( \w+){0,4} (is|was|were|are) (already |all )?(broken|damaged|cracked|"
           r"faulty|leaking|smashed|defective|dented|wrong)")
_SERVICE = re.compile(
    r"\b(ship|ships|shipped|shipping|deliver|delivers|delivered|delivery|return policy|returns?|" + _RETURNING +
    # postage and the border: "is postage free over a certain amount", "will customs hold it", "import duties"
    r"|postage|p ?& ?p|customs|import (duty|duties|tax|taxes|fees?|charges?)|(customs|import) (duty|duties)|tariffs?"
    # paying safely and reading the site: "is it safe to put my card number in", "make the writing bigger"
    r"|card (number|details)|(safe|secure) to (pay|shop|buy|order|enter|put|type)\b|"
    r"(make|get|have) (the )?(writing|text|font|print|letters|words) (bigger|larger|smaller)|zoom in"

    r"|returned|"
    r"refunds?|refunded|" + _NOT_A_PARTY + r"exchange|exchanged|restocking (fee|charge)s?|send\b.{0,30}\bback|pay|"
    r"payment|credit card|"
    r"(do|does|can)\s+(you|u|ya|y'?all|the\s+(shop|store))\s+(accept|take)|price match(ing)?|"
    r"track(ing)?\s+(my\s+)?(order|package|parcel)|order status|my (order|package|parcel|delivery|purchase|stuff)|"
    r"(?<!what )i (ordered|purchased|paid)|(an|the|this|that) order|confirmation (email|mail|number)|parcel|"
    # "noise cancelling headphones" is a feature, not an order cancelled
    r"(?<!noise )(?<!noise-)cancel(?![- ]?(?:ling|ing|lation)?\s+(?:headphones|earbuds|buds|headset))|"
    r"(missing|lost|late|damaged|stolen) (order|package|delivery|shipment)|"
    # a noun of the shop's money matters in the plural too ("any promo codes", "do you sell gift cards")
    r"opening hours|store hours|open on|coupons?|(discount|promo|voucher) codes?|vouchers?|gift cards?|"
    r"gift wrap(ping)?|"
    r"warranty|"
    r"guarantee[ds]?|"
    r"(loyalty|rewards?|members?(hip)?|vip|referral|frequent (buyer|shopper))\s+(programs?|programmes?|schemes?|"
    r"clubs?|cards?|points|perks|benefits|discounts?)|(student|military|senior|teacher|nurse) discounts?|"
    # a discount asked for the shopper's standing: "as a returning customer do I get a discount?"
    r"(do|can|could|would|will|should) (i|we) (get|have|qualify for|be eligible for) (a |any |some )?(discount|"
    r"reduction|deal|coupon|loyalty)|(returning|regular|loyal|repeat|existing) (customer|shopper|buyer|client)s? "
    r"(discount|deal|offer|perk|reward)s?|"
    # the shop's points scheme however it is put: "a rewards / points thing", "redeem my points at checkout"
    r"(loyalty|rewards?|points?)\W+(points?|rewards?|programs?|programmes?|things?|systems?|schemes?|cards?)|"
    r"(use|redeem|spend|earn|collect|apply|cash in)( \w+){0,2} (points|rewards|credits?)|at (the )?checkout|"
    # whether the shop's goods are genuine: "is your stuff legit or grey market"
    r"gr[ae]y[- ]market|counterfeits?|authori[sz]ed (retailer|seller|dealer|stockist)s?|"
    r"(are|is) (your|ur|yall'?s?|the shop'?s|the stores?) (\w+ ){0,2}(authentic|genuine|legit|original|real|fake)|"
    r"money back|(send|ship|mail)( me| us)? (a )?(new|fresh|another|replacement) one|(a )?(new|replacement) one sent|"
    r"(request|get|order|send( me)?|free) (a |some )?samples?|gift receipts?|receipts?|replacements?|"
    r"(package|parcel|box|order|delivery) (came|arrived|was|is|showed up|turned up|got here)|"
    # stock as the shop keeps it, not a product: "will the blue one be back in stock", "any restock date"
    # but not the shopper's own shelves: "restocking the gift shop", "time to restock my kit"
    r"(?<!to )restock(s|ed|ing)?\b(?! (my|our|the|his|her|their|a|an|some|up|on)\b)|"
    r"(you|u|ya|yall|they) (\w+ )?restock|"
    r"re-stock|back in stock|(out of|in) stock again|sold out|out of stock|"
    r"(get|getting|bring|bringing) (new|more|fresh) (stuff|things|items|products|stock|arrivals) in|"
    # the shop's whole range, not one kind of product: "is everything you sell vegan?"
    r"(all|every|everything|any) (of )?(the )?(products?|items?|stuff|things?|brands?)? ?(that )?(you|u|yall|y'all) "
    r"(sell|carry|stock|have)\b.{0,30}\b(free|vegan|tested|certified|safe|organic|natural|made|sourced|authentic|"
    r"genuine|real|ethical|sustainable)|"
    r"customer (service|support|care)|support team|(reach|talk to|speak (to|with)|contact|get hold of)\s+"
    r"(a |an |the |your )?(real |live |actual |human )?"
    r"(human|person|someone|somebody|agent|representative|support|you|shop|store)|your address|phone number|"
    r"(an |your |the )?e-?mail( address)?( (for|to) (you|the shop|the store|support))?\s*\??\s*$|"
    # giving a product back, however it is put: "can I give it back", "swap it for another", "is it final sale"
    r"(give|take|bring|hand)s? (\w+ ){0,3}back\b(?! (pain|massager|brush|support|acne))|"
    r"(swap|trade) (it|mine) (for|back)\b|" + _SWAP_MINE + r"|final sale|" + _TERMS + r"|"
    # what came was not right: "arrived with a dent", "came cracked", "the box turned up soaked"
    r"(arrived|came|showed up|turned up|got here|was delivered)( \w+){0,6} (dent|dents|dented|crack|cracked|broken|"
    r"scratch(ed|es)?|damaged|leak(ed|ing)?|torn|smashed|crushed|soaked|wet|open(ed)?|missing|wrong|melted|spoiled|"
    r"expired)|"
    + _COMPLAINT + r"|"
    r"tracking (\w+ ){0,3}(moved|updated|changed|says|shows)|(hasnt|hasn't|has not|didnt|didn't|never) (yet )?(arrived|"
    r"come|shipped|moved|updated|shown up|turned up)|"
    # where it is sent: "post it to my work address", "delivery to a different address"
    r"(send|ship|post|mail|deliver)\b.{0,40}\baddress(es)?\b|(different|another|second|work|billing|delivery|"
    r"shipping|hotel'?s?) address|"
    # the shopper's account with the shop: "my saved basket is gone", "change my password", "can't sign in"
    r"(saved|my|our|saved (a|the|my|our)) (shopping )?(basket|cart|trolley|wish ?list|account|password)s?\b"
    r"(?! ?ball)|passwords?\b|"
    r"(log|sign)(ging|ged)? ?(in|into|on|out)\b(?! (to|on) (the|my) (beach|slopes?|trail|site visit))|"
    # a shop to walk into: "is there a shop near me", "can I visit your store"
    r"(do you have|is there|are there|have you got|any) (a |an |any )?(physical |real |actual |local |"
    r"brick[- ]and[- ]mortar )?(stores?|shops?|locations?|branch(es)?|showrooms?|outlets?)\b(?! brand)|"
    r"(visit|come to|go to|walk into) (your|the|a) (physical )?(store|shop|showroom)|"
    # first-order and new-customer offers: "any deal on my first purchase", "a code for new customers"
    r"(discount|deal|offer|code|coupon|promo)s? (for|on|with) (my |the |a |your )?(first|new|next)\b|"
    r"first[- ]time (buyer|customer|shopper|order)s?'? (discount|deal|offer|code)|"
    # how the shop's whole range is made: "are your products tested on animals", "is your stuff vegan"
    r"(are|is) (your|ur|the shop'?s|the stores?) (products?|items?|stuff|goods|brands?|range|things)( \w+){0,3} "
    r"(tested|vegan|cruelty|certified|organic|made|sourced|authentic|genuine|ethical|sustainable|safe)|"
    # when the shop's next sale is: "when does the spring sale begin", "any promo coming up"
    r"when('?s| is| are| does| do| will)( \S+){0,5} (sale|sales|promo|promotion|deals?)( \w+)?\s*(start|begin|"
    r"happen|kick off|come|on|\?|$)|(next|upcoming) (\S+ ){0,3}(sale|sales|promo|promotion)s?\b|"
    # a sale asked after or heard of: "is there a spring sale on?", "my friend said 25% off everything"
    r"(is|are) there (a |an |any )?(\w+ )?(sale|sales|promo|promotions?|offers?)\b|"
    r"\d+ ?(%|percent) off (everything|sitewide|storewide|site wide|store wide|all|the whole)|"
    # what the parcel says: "no prices on the packing list please", "a gift note in the box"
    r"packing (slip|list)s?|(leave|take|keep|hide) (the )?(prices?|price tags?) (off|out|hidden)|"
    r"gift (note|message)s?|"
    # what is done with the shopper's own data: "is my info shared", "your privacy policy"
    r"(my|personal|private) (data|info|information|details|e-?mail( address)?)\b.{0,40}\b(shared?|sell|sold|stored?|"
    r"kept|used|safe|protected|deleted?)|(shared?|sell|sold|stored?|kept|used|protected|deleted?)\b.{0,30}\b(my|personal|"
    r"private) (data|info|information|details|e-?mail( address)?)|privacy|third[- ]part(y|ies)|"
    # an order placed that is not here yet: "I placed an order on Monday"
    r"(placed|made|put in|submitted) (an|my|the|this|that) order|" + _NOTICE + r"|" + _STORY + r"|" + _FAULTY + r")\b",
    re.I)
# a question about the shop's service even when it names a kind of product ("how do I return a pair of shoes?")
# a replacement of a kind is a product asked for ("after a replacement kettle that whistles"), not the shop's remedy
_REPLACEMENT = r"replacements?(?! (?!(?:please|pls|plz|for|one|ones|sent|asap|of|or|and|if|because|since|as|under|" \
    r"from|by|instead|now|too|is|are|was|were|be|to|i|we|my|me|us|the|a|an)\b)[a-z]{3,})"
_SERVICE_ACT = re.compile(r"\b(" + _REPLACEMENT + r"|money back|" + _BASKET + r"|(a )?(new|replacement) one sent|"
                          r"at (the )?checkout|"
                          r"(use|redeem|spend|apply|cash in)( \w+){0,2} (points|rewards|credits?)|"
                          r"(came|arrived|showed up|turned up)( \w+){0,6} (crushed|smashed|broken|damaged|dented|"
                          r"dents?|late|"
                          r"open|opened|leaking|torn|wet|cracked|crack|scratched|melted|spoiled|expired)|final sale|"
                          + _COMPLAINT + r"|"
                          r"(give|take|bring|hand)s? (\w+ ){0,3}back\b|" + _SWAP_MINE + r"|"
                          + _TERMS + r"|"
                          r"tracking (\w+ ){0,3}(moved|updated|changed)|returns?|" + _RETURNING + r"|returned|refunds?|"
                          r"refunded|" + _NOT_A_PARTY + r"exchanges?|exchang(ed|ing)|send\b.*\bback|"
                          r"(send|post|mail)\b.{0,40}\baddress(es)?\b|"
                          r"where('?s| is| are) (my|the) (order|package|parcel|delivery)|i ordered|my order|"
                          r"(placed|made|put in|submitted) (an|my|the|this|that) order|"
                          r"cancel(led|ling)?|restocking|ships?|shipped|shipping|deliver(s|ed|y)?|price match|"
                          r"warrant(y|ies)|guarantee[ds]?|samples?|gift[- ]?wrap(ped|ping)?|restock(s|ed|ing)?|"
                          r"(missing|lost|late|damaged|stolen) (order|parcel|package|delivery|shipment)|"
                          r"(send|ship|mail)( me| us)? (a )?(new|fresh|another|replacement) one|" + _NOTICE + r"|"
                          + _STORY + r"|" + _FAULTY + r")\b",
                          re.I)
# "i want my money back", "i need to send it back" ask the shop, not for a product
_SHOPPING = re.compile(r"\b(show|find|search|looking for|look for|"
                       r"(i need|i want)(?! (my money|my refund|a refund|an invoice|a receipt|"
                       r"to (return|send|cancel|exchange|get my|complain|(make|file|lodge|raise) (a |an )?complaint)))"
                       # a deadline is what a question of delivery is for: "I need boots before friday's hike"
                       r"(?!.{0,40}\b(before|by) (\w+'?s )?(mon|tues|wednes|thurs|fri|satur|sun)day)|"
                       r"get me|recommend|suggest|"
                       # a product no longer made is bought anew: "it was discontinued, any brand is fine"
                       r"discontinued|no longer (made|sold|available|stocked)|(any|another|a different) brand|"
                       r"under|below|less than)\b", re.I)

_PERSONAL = re.compile(
    r"\b(something|anything|stuff|things?|what|one|ones|\w+s?)\s+(that\s+)?(i'?d|i\s+would|i'?ll|i\s+will|i\s+might|"
    r"i'?m\s+going\s+to)\s+(like|love|enjoy)(?=\s*([?.!,]|$|please\b|too\b|for\s+my\s+\w+\s*([?.!,]|$)))|"
    r"\bsuits?\s+me\b|\bmy\s+(taste|style)\b|\bfits?\s+my\b|"
    r"\b(based\s+on|going\s+by|judging\s+by|given)\s+(what\s+i|my)\b|"
    r"\bmy\s+(past\s+|previous\s+)?(order|purchase|buying|shopping)\s+history\b|"
    r"\bsurprise\s+me\b|\bfor\s+someone\s+like\s+me\b|\bpick\s+(something\s+)?(else\s+)?"
    r"(out\s+)?for\s+me\b|\bwhat\s+(should|shall)\s+i\s+(buy|get|try)\b|"
    # a treat for the shopper with nothing named: "what could i treat myself to?", "treat me to something"
    r"\b(what|which)\s+(should|shall|could|can)\s+i\s+treat\s+myself\b|\btreat\s+(myself|me)\s+to\s+"
    r"(something|anything)\b|"
    # the shop asked for its pick with no kind named: "could you recommend me something", "find me something
    # special", "what's good today?"
    r"\b(recommend|suggest)\s+(me\s+)?(something|anything)\b(?!\s+(for|like|to go)\b)|"
    r"\b(show|give|get|find)\s+me\s+(something|anything)\s+(good|nice|fun|cool|great|special)\b(?!\s+(for|like)\b)|"
    r"\bwhat'?s\s+good\s*(here|today|now|then)?\s*[?.!]*$|"
    # the choice left to the shop: "you decide", "your call", "I trust your taste"
    r"\b(you|u) (choose|pick|decide)\b(?!\s+(between|from|among|which|one of|of))|\bi trust (you|your|ur)\b|"
    r"\b(your|ur) call\b|\bdealer'?s choice\b|\b(its |it's )?up to you\b|"
    r"\bwhat (would|do|can|could) (you|u) (suggest|recommend)\W*$|"
    r"\bwhatever (you|u) (think|reckon|suggest|recommend|like)\b|"
    # nothing needed, only to be shown something: "i'm bored, show me something cool"
    r"\b(show|give|find) (me|us) (something|anything|stuff) (cool|fun|interesting|random|neat|exciting|"
    r"different)\W*$|"
    # a recommendation asked for in a word or two: "suggestions?", "any recos pls"
    r"^\W*(any\s+|some\s+|got\s+any\s+)?(recs|recos|reccs|recommendations?|suggestions?|ideas)\W*(for me\W*)?"
    # a word of address may close it: "any recs for me mate"
    r"(please|pls|plz)?\W*(babe|hun|hon|mate|love|pal|buddy|bestie|dude|girl|guys|friend)?\W*$", re.I)

# a question opens the message or a clause after the product is named ("the gel, what's it for?")
_ITEM_QUESTION = re.compile(
    r"(^|[,;:?!]|\.\s)\s*(how|what|what'?s|whats|is|does|do|can|will|would|are|which|where|who|when)\b|\?\s*$|"
    r"\b(how\s+(big|heavy|long|large|much|well|many)|weigh|weight|made\s+of|waterproof|ingredients?|size|"
    r"dimensions?|battery|warranty|smell|last)\b", re.I)


_OFF_TOPIC = re.compile(
    r"\b(recipes?|how (do|can|should) i (cook|bake)|(best|right|easiest|quickest) way to (cook|bake|boil|fry|roast|"
    r"grill|poach|scramble)|jokes?|poems?|weather|forecast|fun facts?|trivia|"
    r"homework|movies?|films?|tv (shows?|series)|netflix|haikus?|limericks?|song lyrics|"
    r"what (does|do) [\w.]+( \w+)? stand for|what (does|do) (the )?(word|acronym|abbreviation) [\w.]+ mean|translate|capital of|who (won|is the president|wrote|invented|discovered|painted|directed|sang|"
    r"composed|founded)|news today|lottery|horoscope|meaning of life|"
    # a place to go, not a thing to buy: "a good pizza place near me", "any decent restaurants around here"
    r"(restaurants?|(pizza|burger|sushi|taco|coffee|brunch) (places?|joints?|spots?|shops?)|cafes?|pubs?|bars?|"
    r"hotels?|dentists?|doctors?|vets?|mechanics?|plumbers?|barbers?|hairdressers?|nail salons?|salons?|gyms?)"
    r"( \w+){0,2} (near|around|close to) (me|here|us|my place)|"
    r"(place|spot)s? (to|for) (eat|dinner|lunch|brunch|drinks?|a drink|stay)|"
    # paperwork no shop writes: "a visa form", "my cover letter", "my tax return"
    r"(visa|passport|immigration|job|rental|loan|college|university|school) (application|form|letter|interview)s?|"
    r"cover letters?|tax (return|form)s?|(my|a) (resume|cv)\b|"
    r"how (many|much) (miles|kilometers|kilometres|km|meters|metres|feet|calories|people|countries|states|planets)"
    r"\s+(is|are|in|does|do|live)|sports? scores?|stock market|bitcoin|"
    # a meal to cook, not a product to buy: "what can we cook for supper"
    r"what (should|can|could|shall|do) (i|we) (make|cook|eat|have|fix) for (dinner|lunch|breakfast|supper|brunch|"
    r"tea)|(what'?s|whats|what is) for (dinner|lunch|breakfast|supper)|"
    # something to play, not to buy: "put on my gym playlist", "play some music"
    r"^\W*(play|stream|put on|start)\b.{0,30}\b(music|songs?|playlists?|podcasts?|album|radio|spotify|tunes))\b",
    re.I)


# a piece of writing asked for, whatever it is about ("a short story about a tent", "a song about mascara")
_CREATIVE = re.compile(r"\b(write|compose|make up|tell|give|sing)\s+(me\s+|us\s+)?(a|an|some|another)?\s*"
                       r"(short\s+|little\s+|funny\s+|silly\s+)?(poems?|story|stories|songs?|haikus?|limericks?|"
                       r"jokes?|riddles?|essays?|rap|sonnets?|verses?|rhymes?|lyrics)\b", re.I)


_POPULAR = re.compile(
    r"\b(what'?s|whats|what is|what are|anything)\s+(hot|trending|popular|in fashion|in style)\b|\bbest[- ]?sell(ers?|ing)\b|"
    r"\b(most|really) popular\b|\btrending\b|\b(people|shoppers|customers|everyone|everybody)( here)?( \w+){0,2} "
    r"(buy|buying|bought|order|ordering|love|like|get|getting)( \w+){0,2} (the )?most\b|\bselling (best|the most)\b",
    re.I)
# what others of the shopper's kind buy, and nothing more: "what do other bakeries tend to get here?", "what are
# most climbing clubs buying right now" (a kind word among the buyers names no product)
_OTHERS_BUY = re.compile(
    r"\bwhat (do|are|does|did) (other|most|the other|lots of|many) \w+( \w+)? (usually |normally |typically |tend to "
    r"|mostly |generally )?(buy|buying|bought|order|ordering|reorder|reordering|get|getting|go for|pick)"
    r"( from (you|u|here|the shop|the store)| here| lately| these days| right now| at the moment| now| most)*\W*$",
    re.I)


_PRICE_MATCH = re.compile(r"\b((match|beat) (that|their|the|a|its|his|her) (price|offer|deal)|(will|would|can|do) you "
                          r"(match|beat)( (the|their|that|this) price)?|price[- ]?match(es|ing)?|(at|on|from) "
                          r"(another|other|a different) (store|shop|site|retailer|website)|elsewhere|"
                          r"(anywhere|somewhere) else|(other|different) (stores|shops|sites|retailers|websites)|"
                          # a price seen at another shop: "it was 39.99 at <shop>", "they go for $12 on <site>"
                          r"(it|they|that|this|those|these)( one| ones| \w+)? (was|were|is|are|goes for|go for|"
                          r"sells for|sell for)( only| just)? \$?\d[\d.,]*( dollars| bucks| usd)? (at|on|over at) "
                          r"(?!(most|least|the most|the least)\b)[a-z]|"
                          # a price at a shop named by its own name: "less expensive over at <shop>"
                          r"(cheaper|less expensive|less|a better (price|deal)|lower( priced)?) (at|on|over at) "
                          r"(?!(the|this|that|these|those|a|an|my|your|ur|sale|all|any|some|most|least|average|price|prices|cost|"
                          r"night|weekends?|times?|first|last|here|them|it|its)\b)[a-z][\w&'-]*(\.com)?\s*(tbh|though|"
                          r"lol|or not|too|\?|$))",
                          re.I)


_GREETING = re.compile(r"^\W*(hey|hi|hello|hiya|howdy|yo|heya|greetings|good (morning|afternoon|evening|day))"
                       r"( (there|all|team|folks|everyone|again))?\W*$", re.I)


def is_greeting(message: str) -> bool:
    """"hello there 👋": a greeting and nothing more, nothing to search."""
    return bool(_GREETING.search(message))


# a greeting, then the shopper's news with nothing asked ("hiya, big day of errands today"): words that ask for
# something, and a question, make it a request
_GREETING_LEAD = re.compile(r"^\W*(hey|hi|hello|hiya|howdy|heya|greetings|good (morning|afternoon|evening|day))\b"
                            r"(?!.*(\?|\b(need|needs|want|wants|wanna|looking|look|after|show|find|recommend|suggest|"
                            r"get|buy|help|something|anything|smth|sth|gift|present|ideas?|any|got|have|sell|pick|"
                            r"please|pls|plz|can|could|would|do|does|where|what|which|how|who|when|why)\b))", re.I)


def is_greeting_with_news(message: str) -> bool:
    """"hiya, my weekly top-up shop today": a greeting with something said of the shopper, nothing asked."""
    return bool(_GREETING_LEAD.search(message))


_THANKS = re.compile(r"^\W*(thanks|thank (you|u|ya)|thx|ty|tysm|cheers|much appreciated|appreciate (it|that|you))\b"
                     r"(?!.*(\?|\b(more|next|another|else|other|show|find|get me|how|what|which|can|could|do you)\b))",
                     re.I)


def is_thanks(message: str) -> bool:
    """"thanks a ton, you saved the day": thanks that ask for nothing (no question, nothing more asked)."""
    return bool(_THANKS.search(message))


# another kind of product asked for beside one shown: "a case to go with it", "do they make chargers too"
_SAME_MAKER = (r"same (brand|maker|company|label|line|range|people|house)|(by|from) the same\b|from (them|that brand|"
               r"this brand|that company|that maker)|(do|does) (they|it|that brand|this brand|the brand|that company|"
               r"that maker) (also )?(make|do|sell|have|offer|carry)|(brand|maker|company|label) (also |too |even )?(make|makes|"
               r"do|does|sell|sells|have|has|offer|offers)\b")
_COMPANION = re.compile(rf"\b({_SAME_MAKER}|to (go|match|pair|wear|use|team) (it )?(with|alongside)|to match\b|"
                        r"(that|which|to) (go|goes|match|matches|pair|pairs|work|works) (well |nicely )?with|"
                        r"(go|goes) (well |nicely )?with|(go|goes) together|as well|too\s*\W*$|also)\b", re.I)


# a present for someone or an occasion to buy for: a new search for it, never a narrowing of what is shown
_GIFT = re.compile(r"\b(gifts?(?! (cards?|wrap\w*|receipts?|vouchers?|certificates?))|presents?|pressies?|"
                   r"prezz(?:ie|y)s?|stocking (stuffers?|fillers?)|"
                   r"secret santa|white elephant|(mother|father|valentine|teacher appreciation)'?s?'? day|valentines?|"
                   r"birthday|bday|anniversary|christmas|xmas|graduation|housewarming|baby shower|bridal shower|"
                   r"bridesmaids?|groomsm[ae]n)\b", re.I)


# words of the occasion, not of the present: "a white elephant party at work, the cap is $40"
_OCCASION_WORDS = frozenset("party exchange work office cap limit budget ideas idea".split())


def gift_words(query: str) -> str:
    """A gift search's words with the occasion taken out and "gift" put first ("white elephant party work cap" ->
    "gift"; "present dad loves hiking" -> "gift dad loves hiking"): the occasion's words ("white", "santa") would
    otherwise find products by their colour or name."""
    kept = [w for w in _GIFT.sub(" ", query).split() if w.lower() not in _OCCASION_WORDS]
    return " ".join(["gift", *kept])


def is_gift(message: str) -> bool:
    """"White elephant party, cap $25", "groomsmen gifts under 30 each": a present or an occasion to buy for."""
    return bool(_GIFT.search(message))


def asks_companion(message: str) -> bool:
    """"any belts to go with these?", "do they make gloves too": another kind beside a shown product."""
    return bool(_COMPANION.search(message))


def same_maker(message: str) -> bool:
    """"from the same brand as", "do they also make": the shown product's brand is the one wanted."""
    return bool(re.search(rf"\b({_SAME_MAKER})\b", message, re.I))


# whether the shop has a thing: "do you stock that?", "is it sold here", "could I get one", "show me what you carry"
_STOCKED = re.compile(
    r"\b((do|does) (you|u|ya|y'?all|the (shop|store)|your (shop|store)) (guys )?(even |still |also )?(sell|carry|stock|"
    r"have|got|do)( (it|that|those|them|this|these|one|any))?\s*(\?|$|\.|!|here|in stock)|(is|are) (that|it|this|"
    r"they|those|these) (here|sold here|in stock|available|stocked|something (you|u) (sell|carry|stock|have))|"
    r"(can|could|may) i (see|get|buy|order) (it|that|one|those|them|this)\b|show me what (you|u) (have|carry|"
    r"stock|sell|got))", re.I)
# a product the shopper met elsewhere: a quoted name, or what someone said, wrote, showed or recommended
_REPORTED = re.compile(r"(^|[\s:(])[\"“‘'][A-Za-z]|\b(saw|seen|heard|read|says|said|say|swears? by|swore by|"
                       r"recommends?|recommended|wrote|written|tells? me|told me|mentions?|mentioned|raves? about|"
                       r"raved about|posted|reviewed|suggested|suggests)\b", re.I)


def asks_if_stocked(message: str) -> bool:
    """"A friend raved about 'X', do you carry it?": whether the shop has a product met elsewhere, a search for
    it, not a pointer at a shown product."""
    return bool(_STOCKED.search(message) and _REPORTED.search(message))


def asks_price_match(message: str) -> bool:
    """"It's $5 less on a different site, can you beat that price?": a question for the shop, not a narrower
    list."""
    return bool(_PRICE_MATCH.search(message))


def asks_popular(message: str) -> bool:
    """"What's hot right now", "best sellers", "what do people buy the most": the shop's popular picks."""
    return bool(_POPULAR.search(message))


def is_off_topic(message: str) -> bool:
    """Requests that no shop answers with a product: recipes, jokes, poems, the weather, homework, the news."""
    return bool(_OFF_TOPIC.search(message))


def asks_for_writing(message: str) -> bool:
    """"Compose a sonnet on mascara", "a silly story about tents": a piece of writing, even when it names a kind of
    product; nothing to search."""
    return bool(_CREATIVE.search(message))


def is_code(message: str) -> bool:
    """Program text or a request to write code."""
    return bool(_CODE.search(message))


def is_pasted_review(message: str) -> bool:
    """Review-like text (an opinion of a product already owned): two review marks, or one in a long message that
    asks for nothing."""
    marks = sum(bool(re.search(p, message, re.I)) for p in _REVIEW_MARKS)
    if marks >= 2:
        return True
    return marks == 1 and len(message.split()) >= 8 and not _REQUEST.search(message)


def asks_what_others_buy(message: str) -> bool:
    """What others like the shopper buy from the shop, with no product named after it."""
    return bool(_OTHERS_BUY.search(message))


def is_service_question(message: str) -> bool:
    """Shipping, returns, payment, order tracking: questions about the shop, not its products."""
    return bool(_SERVICE.search(message))


def asks_about_service(message: str) -> bool:
    """A question about returning, refunding, exchanging, cancelling or shipping something, not a request for a
    product, even when it names the kind of product ("can I exchange a tent that leaks?")."""
    return bool(_SERVICE.search(message) and _SERVICE_ACT.search(message) and not _SHOPPING.search(message))


_SUPERLATIVE = re.compile(r"\b(best|most|least|highest|lowest|top[- ]rated|(?!(?:inter|hon|for|sugg|requ|harv|prot|"
                          r"cont|dig|inv|manif|lat|gu|qu|ch|w|n|v|r|t)est\b)\w{3,}est)\b", re.I)


# comparatives that set products against each other ("which shoes are lighter"); a closed list, as "-er" also ends
# nouns of the shop ("liner", "toner", "speaker")
_COMPARATIVE = re.compile(r"\b(lighter|heavier|cheaper|pricier|better|worse|bigger|smaller|larger|warmer|cooler|"
                          r"softer|stronger|longer|shorter|quieter|louder|comfier|faster|sturdier|thinner|thicker|"
                          r"gentler|newer|nicer|safer|easier|tougher|wider|narrower|more \w+|less \w+)\b", re.I)


def asks_which_of_shown(message: str, comparative: bool = False) -> bool:
    """"Which is the lightest?", "which one lasts longest?": a superlative asked over what is shown,
    answered by ordering the shown products, not by a new search; with ``comparative`` also "which shoes are
    lighter"."""
    return bool(re.search(r"\bwhich\b", message, re.I) and (
        _SUPERLATIVE.search(message) or comparative and _COMPARATIVE.search(message)))


def wants_personal_pick(message: str) -> bool:
    """"something I'd like", "what suits me", "based on what I bought": a recommendation for this shopper."""
    return bool(_PERSONAL.search(message))


# a child the product is for: a kid word, or an age under 13 ("for an 8 year old", "my 9yo", "aged 6")
_CHILD = re.compile(r"\b(kids?|kiddos?|child|children|childs|toddlers?|little (girl|boy|one)s?|"
                    r"([1-9]|1[0-2])[ -]?(years?[ -]old|yrs?[ -]old|yo|y/o)|aged ([1-9]|1[0-2]))\b")


def for_a_child(text_norm: str) -> bool:
    """Whether the message says the product is for a child ("a scent for an 8 year old", "kids' shampoo")."""
    return bool(_CHILD.search(text_norm))


# who a present or a product is for, by their sex: "for my wife", "I'm a bloke"
WOMEN = frozenset("her she wife girlfriend gf mum mom mother mam mammy sister daughter woman women lady ladies gran "
                  "nan nana grandma granny grandmother aunt auntie niece female girl girls fiancee missus".split())
MEN = frozenset("him he husband boyfriend bf dad father brother son man men bloke guy gentleman gents grandpa "
                "grandad granddad grandfather uncle nephew male boy boys fiance hubby lad".split())
_PEOPLE = WOMEN | MEN | frozenset("friend friends mate mates buddy pal kid kids child children teen teenager "
                                  "colleague coworker boss neighbour neighbor partner parents family baby toddler "
                                  "grandkids grandchild granddaughter grandson cousin".split())
# parts of a body: "granny's elbows" are hers, whatever a maker called "Granny's" sells
BODY_PARTS = frozenset("hand hands foot feet heel heels skin face hair nails nail lips eyes back neck legs knees "
                       "elbows toes scalp beard cheeks shoulders arms chin forehead".split())


def someones_body(said: str, text_norm: str) -> bool:
    """Whether ``said`` is a person's possessive (the apostrophe dropped: "grandpas") before a part of the body."""
    m = re.search(rf"\b{re.escape(said)}\s+(\w+)", text_norm)
    return bool(m) and said.endswith("s") and said[:-1] in _PEOPLE and m.group(1) in BODY_PARTS


_PEOPLE_WORDS = "|".join(sorted(_PEOPLE - {"her", "she", "him", "he", "man", "woman"}))  # nouns, not pronouns


def persons_name(said: str, text_norm: str) -> bool:
    """Whether a one-word name follows a word for a person ("my friend Zara", "my niece Mila") or someone's name is
    told ("her name's Zara"; but a maker "called Zara" may be the brand): someone's name."""
    return " " not in said and bool(re.search(rf"\b(?:(?:{_PEOPLE_WORDS})s?|(?:her|his|their|my|our|whose) names?"
                                              rf"(?:\s+is)?)\s+{re.escape(said)}\b", text_norm))
# another person the shopper shops for, said with what they are like: "what do I buy my cousin", "a thing for my aunt
# who knits" ("what about for my dad" alone names nobody's taste: no more than a redirection)
_SOMEONE_ELSE = re.compile(rf"\b(?:get|buy|gift|give)\s+(?:my|a|our|the|his|her)\s+(?:\w+\s+)?(?:{_PEOPLE_WORDS})\b|"
                           # "what do I buy him?": a person, never a product, after the verb
                           r"\b(?:what|which)\b.{0,20}\b(?:get|buy|gift)\s+(?:her|him)\s*(?:[?.!]|$)|"
                           rf"\bfor\s+(?:my|a|our)\s+(?:\w+\s+)?(?:{_PEOPLE_WORDS})\W+"
                           rf"(?:who|whos|who's|that|into|she|shes|she's|he|hes|he's|they|loves|likes)\b", re.I)


def for_someone_else(message: str) -> bool:
    """Whether the message shops for another person ("what should I get a friend who just took up climbing"): no
    pick from the shopper's own history."""
    return bool(_SOMEONE_ELSE.search(message))


_FOR_SOMEONE = re.compile(rf"\bfor\s+(?:my\s+|a\s+|an\s+|our\s+|the\s+)?(?:\w+\s+)?(?:{_PEOPLE_WORDS})s?\b", re.I)


def for_a_person(message: str) -> bool:
    """Whether the message names another person it shops for ("something for grandpa", "for my little nephew")."""
    return bool(_FOR_SOMEONE.search(message))


def asks_about_item(message: str) -> bool:
    """A question about a product's properties (how heavy, what is it made of, is it waterproof)."""
    return bool(_ITEM_QUESTION.search(message))


# where one message joins two requests: "<a kind of product>, also <a question for the shop>", "... + do u ...",
# "..., and btw ...", "...; by the way ..."
_JOINED = re.compile(r"(?:[,;]\s*)?(?:\band\s+|\boh\s+)?\b(?:also|btw|by the way|plus|oh and)\b|\s[+&]\s|;|"
                     # "..., and do you ...", "...? and do you ...": a question for the shop joined on by "and"
                     r"[,.?!]\s*and\s+(?=(?:do|does|can|could|will|would|is|are)\s+(?:you|u|ya|y'?all)\b)", re.I)


BESIDE = "rule: a product beside a service question"  # the plan's note: its product part is planned, the question
# is answered from the shop's policy under the products (``agent.nodes.policy``)


def product_part(message: str) -> str | None:
    """The one part of a message that joins a request for products to a question for the shop ("a rain jacket
    please, also can I pay later?"): the part that is no service question, when every other part is one; None when
    the message is one request."""
    parts = [p.strip(" ,.!?") for p in _JOINED.split(message)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    asks = [p for p in parts if not is_service_question(p)]
    return asks[0] if len(asks) == 1 and len(asks) < len(parts) else None
