## flash.news

flash-news-published = نُشر الخبر.
flash-news-edited = عُدّل الخبر.
flash-news-deleted = حُذف الخبر.
flash-news-acknowledged = شكرًا لك: المدرسة تعلم الآن أنك قرأته.

## flash.agenda

flash-agenda-created = أُضيف الحدث إلى المفكرة.
flash-agenda-edited = عُدّل الحدث.
flash-agenda-deleted = حُذف الحدث.

## school

school-error_not_found = هذا العنصر غير موجود، أو لا يُسمح لك برؤيته.
school-error_denied = لا يمكنك القيام بهذا هنا.
school-error_title_empty = أضف عنوانًا.
school-error_title_long = العنوان طويل جدًا (150 حرفًا على الأكثر).
school-error_body_empty = اكتب النص أولًا.
school-error_body_long = النص طويل جدًا (20000 حرف على الأكثر).
school-error_audience = اختر لمن هو موجَّه.
school-error_no_class = اختر قسمًا واحدًا على الأقل.
school-error_unknown_class = أحد الأقسام المختارة لم يعد موجودًا. اختر من جديد.
school-children_label = لأيّ من الأبناء؟
school-all_children = كل أبنائي
school-audience_legend = لمن؟
school-classes_legend = الأقسام
school-classes_hint = حدّد الأقسام إذا كان موجَّهًا إلى بعض الأقسام أو إلى أولياء أمور تلاميذها.
school-field_title = العنوان

## school.audience

school-audience-school = المدرسة كلها
school-audience-staff = الطاقم المدرسي
school-audience-classes = { $classes }
school-audience-parents = كل أولياء الأمور
school-audience-class_parents = أولياء أمور تلاميذ { $classes }

## school.audience_choice

school-audience_choice-school = المدرسة كلها
school-audience_choice-staff = الطاقم المدرسي (الأساتذة والإدارة)
school-audience_choice-parents = كل أولياء الأمور
school-audience_choice-classes = بعض الأقسام (التلاميذ والأساتذة وأولياء الأمور)
school-audience_choice-class_parents = أولياء أمور بعض الأقسام فقط

## news

news-title = الأخبار
news-write = كتابة خبر
news-none = لا توجد أخبار حاليًا.
news-newer = → الأحدث
news-older = الأقدم ←
news-must_read_mark = قراءة إلزامية
news-gone = (حساب سابق)
news-ack = قرأته
news-ack_hint = تطلب المدرسة من كل شخص معنيّ أن يؤكد أنه قرأ هذا الخبر.
news-acked_on = أكّدت أنك قرأته في { $when }.
news-edited_on = عُدّل في { $when }
news-for = موجَّه إلى: { $who }
news-edit = تعديل
news-delete = حذف…
news-delete_warning = سيُحذف الخبر وسجلّ من قرأه نهائيًا.
news-delete_confirm = حذف نهائي
news-tracking_title = من قرأه
news-read_count = عدد من أكّدوا قراءته: { $read } من أصل { $total }.
news-read_by = قرؤوه
news-nobody_yet = لا أحد بعد.
news-not_yet = لم يقرؤوه بعد ({ $n })
news-everyone_read = قرأه الجميع.
news-new_title = كتابة خبر
news-edit_title = تعديل الخبر
news-must_read = قراءة إلزامية: يؤكد كل شخص معنيّ أنه قرأه
news-must_read_hint = سترى من أكّد ومن لم يؤكّد بعد.
news-body = النص
news-markdown_help = التنسيق: **عريض**، *مائل*، سطر يبدأ بـ - لعمل قائمة، و[نص](https://…) لوضع رابط.
news-publish = نشر

## agenda

agenda-title = المفكرة
agenda-new = حدث جديد
agenda-upcoming = قريبًا
agenda-none = لا توجد أحداث مقرَّرة حاليًا.
agenda-next_events = الأحداث القادمة
agenda-all_day = طوال اليوم
agenda-prev_month = الشهر السابق
agenda-next_month = الشهر التالي
agenda-feed_title = المفكرة في تقويم هاتفك
agenda-feed_intro = يمكن لتطبيق التقويم في هاتفك أو حاسوبك أن يعرض هذه الأحداث ويحدّثها باستمرار. أنشئ رابطك الشخصي، ثم أضفه إلى التقويم كاشتراك، أو اضغط «الاشتراك على هذا الجهاز».
agenda-feed_once = هذا رابط تقويمك الشخصي. انسخه الآن: حفاظًا على أمانك، لن يُعرض إلا هذه المرة. كل من يملكه يستطيع رؤية مفكرتك، فاحتفظ به لنفسك.
agenda-feed_address = رابط تقويمك
agenda-feed_open = فتح الرابط
agenda-subscribe = الاشتراك على هذا الجهاز
agenda-feed_made = أنشأت رابط تقويم في { $when }. إذا فقدته، أو إذا كان من الممكن أن يكون عند شخص آخر، فأنشئ رابطًا جديدًا: سيتوقف الرابط القديم عن العمل.
agenda-feed_reset = إنشاء رابط جديد (سيتوقف الرابط القديم عن العمل)
agenda-feed_make = إنشاء رابط تقويمي
agenda-when = الموعد
agenda-place = المكان
agenda-for = موجَّه إلى
agenda-by = أضافه
agenda-ics = إضافة إلى تقويمي (ملف ICS)
agenda-edit = تعديل
agenda-delete = حذف…
agenda-delete_confirm = حذف الحدث نهائيًا
agenda-new_title = حدث جديد
agenda-edit_title = تعديل الحدث
agenda-kind_label = النوع
agenda-start_date = التاريخ
agenda-start_time = من (الساعة)
agenda-end_date = إلى (التاريخ، إن كان يومًا آخر)
agenda-end_time = إلى (الساعة)
agenda-dates_hint = تُكتب التواريخ بالشكل 2026-05-04 والأوقات بالشكل 08:30، حسب توقيت المدرسة. لحدث يدوم اليوم كله، اترك الأوقات فارغة وحدّد «طوال اليوم».
agenda-description = التفاصيل
agenda-create = إضافة إلى المفكرة
agenda-error_kind = اختر نوع الحدث.
agenda-error_date = يُكتب التاريخ بالسنة ثم الشهر ثم اليوم، مثل 2026-05-04، ويجب أن يكون تاريخًا صحيحًا.
agenda-error_time = يُكتب الوقت بالساعات ثم الدقائق، مثل 08:30. أدخل وقت البداية، أو حدّد «طوال اليوم».
agenda-error_year = يجب أن تكون السنة بين 2000 و2099.
agenda-error_end_before_start = النهاية تأتي قبل البداية.
agenda-error_too_long = لا يمكن أن يدوم الحدث أكثر من سنة.
agenda-error_place_long = المكان طويل جدًا (200 حرف على الأكثر).
agenda-error_description_long = التفاصيل طويلة جدًا (5000 حرف على الأكثر).
agenda-error_month = يُكتب الشهر بالسنة ثم الشهر، مثل 2026-05.

## agenda.kind

agenda-kind-trip = رحلة
agenda-kind-exam = امتحان
agenda-kind-meeting = اجتماع
agenda-kind-other = حدث

## agenda.weekday

agenda-weekday-1 = الاثنين
agenda-weekday-2 = الثلاثاء
agenda-weekday-3 = الأربعاء
agenda-weekday-4 = الخميس
agenda-weekday-5 = الجمعة
agenda-weekday-6 = السبت
agenda-weekday-7 = الأحد

## agenda.month

agenda-month-1 = يناير
agenda-month-2 = فبراير
agenda-month-3 = مارس
agenda-month-4 = أبريل
agenda-month-5 = مايو
agenda-month-6 = يونيو
agenda-month-7 = يوليو
agenda-month-8 = أغسطس
agenda-month-9 = سبتمبر
agenda-month-10 = أكتوبر
agenda-month-11 = نوفمبر
agenda-month-12 = ديسمبر

## date: how a day and a month are written; the words come from agenda.weekday and agenda.month

date-day = { $weekday } { $day } { $month } { $year }
date-month_year = { $month } { $year }
# A day and a time: "lun. 4 mai 2026, 08:00".
date-day_time = { $day }، { $time }
# From one date or time to another.
date-range = { $from } – { $to }
