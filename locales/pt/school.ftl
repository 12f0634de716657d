## flash.news

flash-news-published = A notícia foi publicada.
flash-news-edited = A notícia foi alterada.
flash-news-deleted = A notícia foi eliminada.
flash-news-acknowledged = Obrigado: a escola já sabe que a leu.

## flash.agenda

flash-agenda-created = O evento foi adicionado à agenda.
flash-agenda-edited = O evento foi alterado.
flash-agenda-deleted = O evento foi eliminado.

## school

school-error_not_found = Este elemento não existe, ou não tem permissão para o ver.
school-error_denied = Não pode fazer isto aqui.
school-error_title_empty = Dê-lhe um título.
school-error_title_long = O título é demasiado longo (no máximo 150 caracteres).
school-error_body_empty = Escreva primeiro o texto.
school-error_body_long = O texto é demasiado longo (no máximo 20 000 caracteres).
school-error_audience = Escolha a quem se destina.
school-error_no_class = Escolha pelo menos uma turma.
school-error_unknown_class = Uma das turmas escolhidas já não existe. Escolha novamente.
school-children_label = Qual educando?
school-all_children = Todos os meus educandos
school-audience_legend = Para quem?
school-classes_legend = Turmas
school-classes_hint = Marque as turmas se for para algumas turmas ou para os respetivos encarregados de educação.
school-field_title = Título

## school.audience

school-audience-school = Toda a escola
school-audience-staff = Pessoal da escola
school-audience-classes = { $classes }
school-audience-parents = Todos os encarregados de educação
school-audience-class_parents = Encarregados de educação de { $classes }

## school.audience_choice

school-audience_choice-school = Toda a escola
school-audience_choice-staff = O pessoal da escola (professores e secretaria)
school-audience_choice-parents = Todos os encarregados de educação
school-audience_choice-classes = Algumas turmas (alunos, professores e encarregados de educação)
school-audience_choice-class_parents = Só os encarregados de educação de algumas turmas

## news

news-title = Notícias
news-write = Escrever uma notícia
news-none = Não há notícias por agora.
news-newer = ← Mais recentes
news-older = Mais antigas →
news-must_read_mark = Leitura obrigatória
news-gone = (antiga conta)
news-ack = Já li
news-ack_hint = A escola pede a cada pessoa a quem esta notícia se destina que confirme que a leu.
news-acked_on = Confirmou que a leu em { $when }.
news-edited_on = alterada em { $when }
news-for = Para: { $who }
news-edit = Editar
news-delete = Eliminar…
news-delete_warning = A notícia e o registo de quem a leu serão eliminados definitivamente.
news-delete_confirm = Eliminar definitivamente
news-tracking_title = Quem a leu
news-read_count =
    { $read ->
        [one] { $read } de { $total } confirmou que a leu.
       *[other] { $read } de { $total } confirmaram que a leram.
    }
news-read_by = Já leram
news-nobody_yet = Ainda ninguém.
news-not_yet = Ainda não ({ $n })
news-everyone_read = Toda a gente já a leu.
news-new_title = Escrever uma notícia
news-edit_title = Editar a notícia
news-must_read = Leitura obrigatória: cada pessoa a quem se destina confirma que a leu
news-must_read_hint = Verá quem já confirmou e quem ainda não.
news-body = Texto
news-markdown_help = Formatação: **negrito**, *itálico*, uma linha que começa por - para uma lista, [texto](https://…) para uma ligação.
news-publish = Publicar

## agenda

agenda-title = Agenda
agenda-new = Novo evento
agenda-upcoming = Em breve
agenda-none = Nada previsto por agora.
agenda-next_events = Próximos eventos
agenda-all_day = Todo o dia
agenda-prev_month = Mês anterior
agenda-next_month = Mês seguinte
agenda-feed_title = A agenda no calendário do seu telemóvel
agenda-feed_intro = A aplicação de calendário (num telemóvel ou num computador) pode mostrar estes eventos e mantê-los atualizados. Crie a sua ligação pessoal e, depois, adicione-a ao calendário como subscrição, ou toque em “Subscrever neste dispositivo”.
agenda-feed_once = Esta é a sua ligação pessoal ao calendário. Copie-a agora: por segurança, só é mostrada desta vez. Quem a tiver pode ver a sua agenda, por isso não a partilhe com ninguém.
agenda-feed_address = A sua ligação ao calendário
agenda-feed_open = Abrir a ligação
agenda-subscribe = Subscrever neste dispositivo
agenda-feed_made = Criou uma ligação ao calendário em { $when }. Se a perdeu, ou se outra pessoa a puder ter, crie uma nova: a antiga deixa de funcionar.
agenda-feed_reset = Criar uma nova ligação (a antiga deixa de funcionar)
agenda-feed_make = Criar a minha ligação ao calendário
agenda-when = Quando
agenda-place = Local
agenda-for = Para
agenda-by = Planeado por
agenda-ics = Adicionar ao meu calendário (ficheiro .ics)
agenda-edit = Editar
agenda-delete = Eliminar…
agenda-delete_confirm = Eliminar o evento definitivamente
agenda-new_title = Novo evento
agenda-edit_title = Editar o evento
agenda-kind_label = Tipo
agenda-start_date = Data
agenda-start_time = Hora de início
agenda-end_date = Data de fim (se for noutro dia)
agenda-end_time = Hora de fim
agenda-dates_hint = As datas escrevem-se 2026-05-04 e as horas 08:30, na hora local da escola. Para um dia inteiro, deixe as horas em branco e marque “Todo o dia”.
agenda-description = Detalhes
agenda-create = Adicionar à agenda
agenda-error_kind = Escolha o tipo de evento.
agenda-error_date = Uma data escreve-se ano-mês-dia, como 2026-05-04, e tem de existir.
agenda-error_time = Uma hora escreve-se horas:minutos, como 08:30. Indique uma hora de início ou marque “Todo o dia”.
agenda-error_year = O ano deve estar entre 2000 e 2099.
agenda-error_end_before_start = O fim é anterior ao início.
agenda-error_too_long = Um evento dura no máximo um ano.
agenda-error_place_long = O local é demasiado longo (no máximo 200 caracteres).
agenda-error_description_long = Os detalhes são demasiado longos (no máximo 5000 caracteres).
agenda-error_month = Um mês escreve-se ano-mês, como 2026-05.

## agenda.kind

agenda-kind-trip = Visita de estudo
agenda-kind-exam = Exame
agenda-kind-meeting = Reunião
agenda-kind-other = Evento

## agenda.weekday

agenda-weekday-1 = seg.
agenda-weekday-2 = ter.
agenda-weekday-3 = qua.
agenda-weekday-4 = qui.
agenda-weekday-5 = sex.
agenda-weekday-6 = sáb.
agenda-weekday-7 = dom.

## agenda.month

agenda-month-1 = janeiro
agenda-month-2 = fevereiro
agenda-month-3 = março
agenda-month-4 = abril
agenda-month-5 = maio
agenda-month-6 = junho
agenda-month-7 = julho
agenda-month-8 = agosto
agenda-month-9 = setembro
agenda-month-10 = outubro
agenda-month-11 = novembro
agenda-month-12 = dezembro

## date: how a day and a month are written; the words come from agenda.weekday and agenda.month

date-day = { $weekday }, { $day } de { $month } de { $year }
date-month_year = { $month } de { $year }
# A day and a time: "lun. 4 mai 2026, 08:00".
date-day_time = { $day }, { $time }
# From one date or time to another.
date-range = { $from } – { $to }
